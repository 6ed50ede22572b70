@calm
Feature: Cloud ALM tokens come from the subaccount's UAA and expire on the landscape clock
  Every call to the SAP Cloud ALM API carries a bearer token from the subaccount's UAA, fetched
  with the service key's client credentials: at uaa.url + /oauth/token with the client secret,
  or at uaa.certurl + /oauth/token over mutual TLS with the binding's certificate
  (reference/cloud-alm.md §1.2–§1.5). A token grants the instance's authorities as scopes; a call
  without the endpoint's scope is 403. Tokens live 43199 seconds, counted on the landscape clock.

  Background:
    Given a mock landscape

  Scenario Outline: The UAA gives a token for the client secret in each way SAP's samples send it
    When a client asks the Cloud ALM UAA for a token with the secret key <how>
    Then the answer is 200
    And the token is a bearer token that expires in 43199 seconds and must not be cached
    And the token grants the scope "calm-api.landscape.read"
    When the client lists the landscape objects of Cloud ALM with the token
    Then the answer is 200
    And the answer lists the cloud service "SAP_CLOUD_IDENTITY_PROVISIONING"

    Examples:
      | how                                   |
      | in a Basic header                     |
      | in form fields                        |
      | by GET with the grant type in the query |

  Scenario: A wrong client secret gets no token
    When a client asks the Cloud ALM UAA for a token with the secret key and a wrong secret
    Then the answer is 401
    And the OAuth error is "invalid_client"

  Scenario: A token expires after 43199 seconds on the landscape clock
    When a client asks the Cloud ALM UAA for a token with the secret key in a Basic header
    And the landscape clock advances 43198 seconds
    And the client lists the landscape objects of Cloud ALM with the token
    Then the answer is 200
    When the landscape clock advances 1 second
    And the client lists the landscape objects of Cloud ALM with the token
    Then the answer is 401

  Scenario: The X.509 binding gets its token only from uaa.certurl, over mutual TLS
    When a client asks the Cloud ALM UAA at uaa.url for a token with the X.509 key's client id
    Then the answer is 401
    And the OAuth error is "invalid_client"
    When a client asks the Cloud ALM UAA at uaa.certurl for a token without a client certificate
    Then the answer is 401
    And the OAuth error is "invalid_client"
    When a client asks the Cloud ALM UAA at uaa.certurl for a token with the X.509 key's certificate
    Then the answer is 200
    And the token grants the scope "calm-api.landscape.read"
    When the client lists the landscape objects of Cloud ALM with the token
    Then the answer is 200

  Scenario: A token without the endpoint's scope is refused with 403
    Given a Cloud ALM service instance "metrics-only" with only the authority "calm-api.metrics.read"
    When a client asks the Cloud ALM UAA for a token with that service key
    Then the token grants the scope "calm-api.metrics.read"
    And the token does not grant the scope "calm-api.landscape.read"
    When the client lists the landscape objects of Cloud ALM with the token
    Then the answer is 403

  Scenario: The API wants a token, and its paths under /api
    When the client lists the landscape objects of Cloud ALM without a token
    Then the answer is 401
    When a client asks the Cloud ALM UAA for a token with the secret key in a Basic header
    And the client lists the landscape objects of Cloud ALM with the token but without /api in the URL
    Then the answer is 404
