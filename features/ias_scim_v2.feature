@ias
Feature: Users and groups in an IAS tenant through the Identity Directory SCIM API (version 2)
  The mock IAS answers the way SAP's recorded traffic shows a real tenant answering: created
  users get a UUID, a P-number user id and SAP's status; users' groups follow group members;
  errors use the SCIM error schema with the status as a string.

  Background:
    Given a mock landscape
    And an IAS tenant "target" with SCIM API version 2

  Scenario: A created user comes back with the ids IAS assigns
    When the technical user creates in "target" the user "jdoe" with email "joe.doe@test.com" and SAP status "new"
    Then the answer is 201
    And the answer has a Location of the user and an ETag of its version
    And the user "jdoe" in "target" has an id that is a UUID equal to its SAP userUuid and a SAP userId of P and six digits
    And the user "jdoe" in "target" has active false
    And the user "jdoe" in "target" has urn:ietf:params:scim:schemas:extension:sap:2.0:User:status "new"
    And the user "jdoe" in "target" has meta.created "2026-11-22T09:00:00Z"

  Scenario: Activating a user through PATCH answers 204 and keeps active and status in step
    Given tenant "target" holds the users:
      | userName | email            |
      | jdoe     | joe.doe@test.com |
    When the landscape clock advances 5 minutes
    And the technical user changes in "target" the user "jdoe" with the operation replace of "urn:ietf:params:scim:schemas:extension:sap:2.0:User:status" to "active"
    Then the answer is 204
    And the answer has no body
    And the user "jdoe" in "target" has active true
    And the user "jdoe" in "target" has meta.lastModified "2026-11-22T09:05:00Z"

  Scenario: Replacing the emails leaves exactly one primary email, first
    Given tenant "target" holds the users:
      | userName | email            |
      | jdoe     | joe.doe@test.com |
    When the technical user changes in "target" the user "jdoe" with the operation replace of "emails" to [{"value": "joe.doe.s@test.com", "type": "home"}, {"value": "joe.doe@test.com", "type": "work", "primary": true}]
    Then the answer is 204
    And the emails of "jdoe" in "target" are, primary first: "joe.doe@test.com", "joe.doe.s@test.com"

  Scenario: userName is unique in the tenant
    Given tenant "target" holds the users:
      | userName | email            |
      | jdoe     | joe.doe@test.com |
    When the technical user creates in "target" the user "JDOE" with email "another@test.com"
    Then the answer is 409
    And the SCIM error has status "409" and type "uniqueness"
    And tenant "target" holds 1 user

  Scenario: Emails are unique by default, and the tenant can allow shared emails
    Given tenant "target" holds the users:
      | userName | email           |
      | amy      | team@example.com |
    When the technical user creates in "target" the user "ben" with email "team@example.com"
    Then the answer is 409
    Given tenant "target" allows the same email for several users
    When the technical user creates in "target" the user "ben" with email "team@example.com"
    Then the answer is 201

  Scenario: A user that does not exist
    When the technical user reads the user "5f0c1d4e-0000-4000-8000-000000000000" in "target"
    Then the answer is 404
    And the SCIM error has status "404"
    And the SCIM error says "User 5f0c1d4e-0000-4000-8000-000000000000 not found"

  Scenario: Filters find users by userName in any case, by email and by the time they changed
    Given tenant "target" holds the users:
      | userName | email             |
      | amy      | amy@example.com   |
      | ben      | ben@example.org   |
    When the landscape clock advances 10 minutes
    And the technical user changes in "target" the user "ben" with the operation replace of "name.familyName" to "Baker"
    And the technical user searches "target" for users with the filter userName eq "AMY"
    Then the answer lists 1 of 1 user: "amy"
    When the technical user searches "target" for users with the filter emails.value co "@example.org" or userName sw "a"
    Then the answer lists 2 of 2 users
    When the technical user searches "target" for users with the filter meta.lastModified gt "2026-11-22T09:05:00Z"
    Then the answer lists 1 of 1 user: "ben"

  Scenario: An invalid filter is answered 400 invalidFilter
    When the technical user searches "target" for users with the filter userName equals "amy"
    Then the answer is 400
    And the SCIM error has status "400" and type "invalidFilter"

  Scenario: Cursor paging walks the tenant with startId and nextId until "end"
    Given tenant "target" holds the users:
      | userName | email           |
      | u1       | u1@example.com  |
      | u2       | u2@example.com  |
      | u3       | u3@example.com  |
      | u4       | u4@example.com  |
      | u5       | u5@example.com  |
    When the technical user lists the users of "target" with startId=initial and count=2
    Then the answer lists 2 of 5 users
    And the next page starts at the next user
    When the technical user reads the next page of "target" with count=2
    Then the answer lists 2 of 5 users
    And the next page starts at the next user
    When the technical user reads the next page of "target" with count=2
    Then the answer lists 1 of 5 users
    And the next page starts at "end"

  Scenario: Index paging uses startIndex and count, 100 by default
    Given tenant "target" holds the users:
      | userName | email           |
      | u1       | u1@example.com  |
      | u2       | u2@example.com  |
      | u3       | u3@example.com  |
    When the technical user lists the users of "target" with startIndex=2 and count=5
    Then the answer lists 2 of 3 users

  Scenario: A user's groups follow the members of groups
    Given tenant "target" holds the users:
      | userName | email           |
      | amy      | amy@example.com |
      | ben      | ben@example.com |
    When the technical user creates in "target" the group "Developers" with the members "amy"
    Then the answer is 201
    And the user "amy" in "target" belongs to the group "Developers"
    And the user "ben" in "target" belongs to no group
    When the technical user deletes in "target" the group "Developers"
    Then the answer is 204
    And the user "amy" in "target" belongs to no group

  Scenario: A group member must exist
    When the technical user creates in "target" the group "Ghosts" with the members "2b1f6a2d-0000-4000-8000-000000000000"
    Then the answer is 400
    And the SCIM error says "does not exist"

  Scenario: Deleting a user answers 204 and takes it out of its groups
    Given tenant "target" holds the users:
      | userName | email           |
      | amy      | amy@example.com |
    When the technical user creates in "target" the group "Developers" with the members "amy"
    And the technical user deletes in "target" the user "amy"
    Then the answer is 204
    And tenant "target" holds 0 users

  Scenario Outline: Bad requests get a SCIM error and change nothing
    When the technical user sends to "target" a user body <what>
    Then the answer is <status>
    And the SCIM error has status "<status>"
    And tenant "target" holds 0 users

    Examples:
      | what                                                      | status |
      | that is not JSON                                          | 400    |
      | as text/plain                                             | 415    |
      | with the unknown schema "urn:acme:schemas:Badge"           | 400    |
      | larger than 2 MiB                                         | 413    |

  Scenario: A PATCH on a path that does not parse changes nothing
    Given tenant "target" holds the users:
      | userName | email           |
      | amy      | amy@example.com |
    When the technical user changes in "target" the user "amy" with the operation replace of "emails[type eq" to "x"
    Then the answer is 400
    And the SCIM error has status "400" and type "invalidPath"
    And the user "amy" in "target" has userName "amy"

  Scenario: A PATCH whose value filter matches nothing is answered noTarget and changes nothing
    Given tenant "target" holds the users:
      | userName | email           |
      | amy      | amy@example.com |
    When the technical user changes in "target" the user "amy" with the operation replace of "emails[primary eq false].value" to "other@example.com"
    Then the answer is 400
    And the SCIM error has status "400" and type "noTarget"
    And the user "amy" in "target" has emails[0].value "amy@example.com"

  Scenario: A password is accepted but never returned
    Given tenant "target" holds the users:
      | userName | email           |
      | amy      | amy@example.com |
    When the technical user changes in "target" the user "amy" with the operation add of "password" to "Initial-Secret-1"
    Then the answer is 204
    And the user "amy" in "target" has no attribute "password"
