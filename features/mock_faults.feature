@mocks
Feature: Every mock can be made to misbehave, watched, reset and restored
  The admin surface is the same on every mock: fault rules that answer with an error, a
  malformed body or a dropped connection; a journal of requests with secrets masked; reset; and
  state export and import. It needs the landscape's admin token.

  Background:
    Given a mock landscape
    And an IAS tenant "target" with SCIM API version 2

  Scenario: A fault rule answers 503 once, then the mock behaves again
    Given the mock IAS answers 503 to the next 1 user creation, asking to retry after 30 seconds
    When the technical user creates in "target" the user "amy" with email "amy@example.com"
    Then the answer is 503
    And the SCIM error has status "503"
    And the answer says to retry after 30 seconds
    When the technical user creates in "target" the user "amy" with email "amy@example.com"
    Then the answer is 201
    And the journal of the mock IAS shows 2 user creations, the last answered 201, with the credentials masked

  Scenario: A malformed body keeps the status but breaks the JSON
    Given the mock IAS answers every user creation with a malformed body
    When the technical user creates in "target" the user "amy" with email "amy@example.com"
    Then the answer is 201
    And the answer body is not valid JSON

  Scenario: A fault rule with a bad field is refused and names it
    When a fault rule with {"match": {"path": "/scim/Users"}, "action": {"type": "status", "status": 42}} is offered to the mock IAS
    Then the answer is 400
    And the admin error says "$.action.status"
    And the mock IAS has no fault rules

  Scenario: Reset forgets users; a saved state brings them back
    Given tenant "target" holds the users:
      | userName | email           |
      | amy      | amy@example.com |
    When the state of the mock IAS is saved
    And the mock IAS is reset
    Then tenant "target" holds 0 users
    When the saved state is loaded into the mock IAS
    Then tenant "target" holds 1 user
    And the user "amy" in "target" has userName "amy"

  Scenario: A state for a tenant that does not exist is refused and changes nothing
    Given tenant "target" holds the users:
      | userName | email           |
      | amy      | amy@example.com |
    When a state whose tenant is named "elsewhere" is loaded into the mock IAS
    Then the answer is 400
    And the admin error says "no tenant \"elsewhere\""
    And tenant "target" holds 1 user

  Scenario: The admin surface needs the admin token
    When someone without the admin token reads the journal of the mock IAS
    Then the answer is 401
