@calm
Feature: A Cloud ALM service key is tested the way a connector's "Save and test" does
  The SAP Cloud ALM API service's binding is a service key: the API URL in endpoints.Api, and the
  OAuth client of the subaccount's UAA in uaa — a client secret, or an X.509 certificate and key
  that fetch tokens from uaa.certurl over mutual TLS (reference/cloud-alm.md §1.2, §1.3).
  `sapland calm check` reads the key, gets a token and calls the landscape API, and reports the
  API root, the token URL, the credential type, the scopes granted and the call's status. A key
  that cannot work is refused before any request, every problem named with its JSON path, line
  and column; nothing prints a secret, a private key or a token.

  Background:
    Given a mock landscape

  Scenario Outline: The landscape's <kind> key connects
    When I check the landscape's <kind> service key
    Then the command succeeds
    And the check reports the credential type "<type>"
    And the check reports the token URL "<token url>" of the key
    And the check reports the scope "calm-api.landscape.read"
    And the check reports that "GET /api/calm-landscape/v1/landscapeObjects?limit=1" answered 200
    And no secret appears in the output

    Examples:
      | kind   | type           | token url             |
      | secret | binding-secret | uaa.url/oauth/token     |
      | X.509  | x509           | uaa.certurl/oauth/token |

  Scenario Outline: A key that cannot work is refused before any request
    Given the landscape's <kind> service key with <change>
    When I check that service key
    Then the command fails with exit code 2
    And the error says "<message>"
    And the error names the key file with the line and column of the problem
    And Cloud ALM received no request

    Examples:
      | kind   | change                                  | message                                                                            |
      | secret | "/oauth/token" appended to "uaa.url"    | at $.uaa.url: must not end in /oauth/token: it is the XSUAA base URL and sapland appends /oauth/token itself |
      | secret | "uaa.clientsecret" removed              | at $.uaa.clientsecret: is missing: a key whose credential-type is binding-secret or instance-secret authenticates with its client secret |
      | secret | "endpoints.Api" removed                 | at $.endpoints.Api: is missing: the Cloud ALM API URL                              |
      | secret | "/api" cut from "endpoints.Api"         | at $.endpoints.Api: must end in /api                                               |
      | X.509  | "uaa.key" removed                       | at $.uaa.key: is missing: an X.509 key (credential-type x509) needs the private key (PEM) of uaa.certificate |
      | X.509  | "uaa.certurl" removed                   | at $.uaa.certurl: is missing                                                       |

  Scenario: Every problem of a key is named at once
    Given the landscape's secret service key with "uaa.clientid" removed and "/api" cut from "endpoints.Api"
    When I check that service key
    Then the command fails with exit code 2
    And the error says "at $.uaa.clientid: is missing: the OAuth client id"
    And the error says "at $.endpoints.Api: must end in /api"

  Scenario: A file that is not JSON is named with the line and column where it breaks
    Given a service key file holding the first 3 lines of the landscape's secret service key
    When I check that service key
    Then the command fails with exit code 2
    And the error names the key file with the line and column of the problem
    And no secret appears in the output

  Scenario: A wrong client secret is refused by the UAA, and the secret is not printed
    Given the landscape's secret service key with a wrong client secret
    When I check that service key
    Then the check fails with exit code 3
    And the error says "401 invalid_client"
    And the check reports that the token failed
    And no secret appears in the output

  Scenario: A key whose instance lacks the scope is told which scope to add
    Given a Cloud ALM service instance "metrics-only" with only the authority "calm-api.metrics.read"
    When I check that service key
    Then the check fails with exit code 3
    And the check reports the scope "calm-api.metrics.read"
    And the error says "403"
    And the error says "calm-api.landscape.read"
    And no secret appears in the output
