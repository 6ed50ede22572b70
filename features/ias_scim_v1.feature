@ias
Feature: Users and groups in an IAS tenant through the deprecated SCIM REST API (version 1)
  Until it is decommissioned, IAS also serves the Identity Authentication SCIM REST API under
  /service/scim. It works on the same users and groups as the Identity Directory API: users are
  known by their P-number user id, groups by their 24-character id, and what one version writes
  the other reads.

  Scenario: A user created through version 1 gets a P-number id and the documented Location
    Given a mock landscape
    When the technical user creates in "target" through SCIM version 1 the user "jdoe" with email "joe.doe@test.com" and family name "Doe"
    Then the answer is 201
    And the version 1 user has an id of P and six digits and a userUuid
    And the answer's Location is the tenant URL with "/service/users/<id>" and its meta.location the tenant URL with "/service/scim/Users/<id>"
    And the version 1 user has meta.version "1.0"
    And the version 1 user has mailVerified "false"
    And the version 1 user has no active, as a user in status new

  Scenario: Version 1 and version 2 see the same users
    Given a mock landscape
    And tenant "target" holds through SCIM version 1 the users:
      | userName | email           | familyName |
      | amy      | amy@example.com | Adams      |
    And tenant "target" holds the users:
      | userName | email           |
      | ben      | ben@example.com |
    Then the user "amy" in "target" has an id that is a UUID equal to its SAP userUuid and a SAP userId of P and six digits
    And the user "amy" in "target" has name.familyName "Adams"
    When the technical user reads through SCIM version 1 the user "ben" of "target"
    Then the answer is 200
    And the version 1 user has userName "ben"
    And the version 1 user's userUuid is the id of "ben" in "target" in version 2

  Scenario: A version 1 update changes only the attributes it sends
    Given a mock landscape
    And tenant "target" holds through SCIM version 1 the users:
      | userName | email           | familyName | givenName |
      | amy      | amy@example.com | Adams      | Amy       |
    When the technical user updates through SCIM version 1 the user "amy" of "target" with displayName "Amy A."
    Then the answer is 200
    And the user "amy" in "target" has displayName "Amy A."
    And the user "amy" in "target" has name.givenName "Amy"
    And the user "amy" in "target" has name.familyName "Adams"

  Scenario: Version 1 filters know eq and and, nothing else
    Given a mock landscape
    And tenant "target" holds through SCIM version 1 the users:
      | userName | email           | familyName | country |
      | amy      | amy@example.com | Adams      | US      |
      | ben      | ben@example.com | Baker      | DE      |
    When the technical user searches "target" through SCIM version 1 for users with the filter userName eq "amy" or userName eq "ben"
    Then the answer is 400
    And the SCIM error has status "400" and type "invalidFilter"
    And the SCIM error says "supports only the operators eq and and"
    When the technical user searches "target" through SCIM version 1 for users with the filter emails eq "amy@example.com" and addresses.country eq "US"
    Then the version 1 answer lists 1 of 1 user: "amy"

  Scenario: A user without a family name is refused and nothing is stored
    Given a mock landscape
    When the technical user creates in "target" through SCIM version 1 the user "jdoe" with email "joe.doe@test.com" and no family name
    Then the answer is 400
    And the SCIM error has status "400" and type "invalidValue"
    And the SCIM error says "name.familyName is mandatory"
    And tenant "target" holds 0 users

  Scenario: Paging by startId walks the users until nextId is "end"
    Given a mock landscape
    And tenant "target" holds through SCIM version 1 the users:
      | userName | email          | familyName |
      | u1       | u1@example.com | One        |
      | u2       | u2@example.com | Two        |
      | u3       | u3@example.com | Three      |
    When the technical user pages through SCIM version 1 the users of "target" from startId=initial with count=2
    Then the version 1 answer lists 2 of 3 users: "u1", "u2"
    And the next version 1 page starts at the user "u3"
    When the technical user pages through SCIM version 1 the users of "target" from the next id with count=2
    Then the version 1 answer lists 1 of 3 users: "u3"
    And the next version 1 page starts at "end"

  Scenario: Updating a group needs its own id in the body
    Given a mock landscape
    And tenant "target" holds through SCIM version 1 the users:
      | userName | email           | familyName |
      | amy      | amy@example.com | Adams      |
    When the technical user creates in "target" through SCIM version 1 the group "Developers" with the members "amy"
    Then the answer is 201
    When the technical user replaces through SCIM version 1 the group "Developers" of "target" with a body whose id is "000000000000000000000000"
    Then the answer is 400
    And the answer carries the header X-message-code "Mismatched group id"
    And the version 1 group "Developers" of "target" has 1 member

  Scenario: A group read shows at most 100 members
    Given a mock landscape
    And tenant "target" holds through SCIM version 1 a group "Everyone" with 101 users
    When the technical user reads through SCIM version 1 the group "Everyone" of "target"
    Then the answer is 200
    And the version 1 group in the answer shows 100 members
    And the group "Everyone" of "target" has 101 members in version 2

  Scenario: Version 1 has no PATCH
    Given a mock landscape
    And tenant "target" holds through SCIM version 1 the users:
      | userName | email           | familyName |
      | amy      | amy@example.com | Adams      |
    When the technical user sends a PATCH through SCIM version 1 to the user "amy" of "target"
    Then the answer is 405
    And the SCIM error has status "405"
