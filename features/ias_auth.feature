@ias
Feature: Technical users authenticate to the IAS SCIM API
  Callers are administrators of type System: by client id and secret (HTTP Basic), by a bearer
  token from the tenant's /oauth2/token, or by an uploaded client certificate. Unknown
  credentials get 401; a missing role gets 403.

  Background:
    Given a mock landscape
    And an IAS tenant "target" with SCIM API version 2

  Scenario: Basic authentication with client id and secret
    When the technical user of "target" lists its users with Basic authentication
    Then the answer is 200

  Scenario: A wrong secret is answered 401
    When the technical user of "target" lists its users with the client secret "not-the-secret"
    Then the answer is 401
    And the SCIM error has status "401"

  Scenario: No credentials are answered 401
    When the technical user of "target" lists its users without credentials
    Then the answer is 401

  Scenario: A client certificate authenticates the technical user it was uploaded for
    When the technical user of "target" lists its users with its client certificate
    Then the answer is 200

  Scenario: A token from /oauth2/token works for an hour of landscape time
    When the technical user of "target" lists its users with a token from the token endpoint
    Then the answer is 200
    When the landscape clock advances 59 minutes
    And the technical user of "target" lists its users with the remembered token
    Then the answer is 200
    When the landscape clock advances 1 minute
    And the technical user of "target" lists its users with the remembered token
    Then the answer is 401

  Scenario: The token endpoint refuses a wrong secret with invalid_client
    When a client asks the token endpoint of "target" for a token with the secret "guess"
    Then the answer is 401
    And the OAuth error is "invalid_client"

  Scenario: Read Users may read users but not create them or read groups
    Given tenant "target" has a technical user "reader" with only the role "Read Users"
    When "reader" lists the users of "target"
    Then the answer is 200
    When "reader" creates a user of "target"
    Then the answer is 403
    And the SCIM error says "Manage Users"
    When "reader" lists the groups of "target"
    Then the answer is 403

  Scenario: An uploaded certificate authenticates the technical user it was uploaded for
    Given tenant "target" has a technical user "reporting-app" with an uploaded certificate and only the role "Read Users"
    When "reporting-app" lists the users of "target" with its certificate
    Then the answer is 200
