@ias
Feature: IAS throttles SCIM requests per tenant
  SAP documents the limit: up to 200 requests a minute are served, requests 201 to 280 are
  each delayed by 1 second, and from the 281st the tenant answers 429 for 60 seconds. The mock
  counts on the landscape clock, so nobody waits: in scenarios the delay is reported, not slept.

  Background:
    Given a mock landscape
    And an IAS tenant "target" with SCIM API version 2

  Scenario: The documented limits
    When the technical user sends 281 requests to "target" within a minute
    Then 200 were served at once, 80 were served after a delay of 1 second and 1 was answered 429
    And the answer says to retry after 60 seconds
    When the landscape clock advances 30 seconds
    And the technical user sends 1 requests to "target" within a minute
    Then the answer is 429
    When the landscape clock advances 30 seconds
    And the technical user sends 1 requests to "target" within a minute
    Then the answer is 200

  Scenario: Throttling can be switched off for load tests
    Given throttling is off for tenant "target"
    When the technical user sends 300 requests to "target" within a minute
    Then 300 were served at once, 0 were served after a delay of 1 second and 0 were answered 429
