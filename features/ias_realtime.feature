@ias
Feature: Real-time provisioning from an IAS tenant to Identity Provisioning
  When users are created, updated or deleted in Identity Authentication manually, through SCIM
  version 1 or 2, or by CSV upload, the tenant pushes them at once to the real-time targets it
  has, in the target's SCIM version; users written by a provisioning job are not pushed. The
  Real-Time Logs say "Finished Successfully" or "Finished with Error". A stand-in records what
  reaches Identity Provisioning's real-time API; how IAS calls that API is not published, so
  the method and body are sapland's proposal.

  Scenario: A user created through SCIM version 2 is pushed once, in the version 2 format
    Given a mock landscape
    And tenant "source" has a real-time target standing in for Identity Provisioning
    When an administrator creates the user "jdoe" in "source" through SCIM version 2
    And the real-time pushes of "source" have been delivered
    Then the stand-in for Identity Provisioning received 1 push
    And the stand-in received the creation of "jdoe" from "source" as a SCIM version 2 user
    And the real-time log of "source" shows the CREATE of "jdoe" as "Finished Successfully" with HTTP status 201
    And no secret of the real-time target of "source" appears in the mock IAS's answers

  Scenario: Updates and a deletion are pushed in the order they happened
    Given a mock landscape
    And tenant "source" has a real-time target standing in for Identity Provisioning
    When an administrator creates the user "jdoe" in "source" through SCIM version 2
    And an administrator changes the family name of "jdoe" in "source" to "Smith" with a PATCH through SCIM version 2
    And an administrator changes the family name of "jdoe" in "source" to "Miller" with a PUT through SCIM version 2
    And an administrator deletes the user "jdoe" from "source" through SCIM version 2
    And the real-time pushes of "source" have been delivered
    Then the stand-in for Identity Provisioning received 4 pushes
    And the stand-in received an update of "jdoe" with the family name "Smith"
    And the stand-in received an update of "jdoe" with the family name "Miller"
    And the stand-in received the deletion of "jdoe" from "source" last
    And the real-time log of "source" shows the UPDATE of "jdoe" as "Finished Successfully"
    And the real-time log of "source" shows the DELETE of "jdoe" as "Finished Successfully" with HTTP status 204

  Scenario: A user written by a provisioning job is not pushed
    Given a mock landscape
    And tenant "source" has a real-time target standing in for Identity Provisioning
    When an administrator creates the user "fromjob" in "source" through SCIM version 2 as the provisioning job "job-4711"
    And an administrator creates the user "manual" in "source" through SCIM version 2
    And the real-time pushes of "source" have been delivered
    Then the stand-in for Identity Provisioning received 1 push
    And the stand-in received nothing about "fromjob"
    And the stand-in received the creation of "manual" from "source" as a SCIM version 2 user
    And the real-time log of "source" shows 1 delivery

  Scenario: A user created through SCIM version 1 reaches a version 1 target as a version 1 user
    Given a mock landscape
    And tenant "source" has a real-time target standing in for Identity Provisioning with SCIM version 1
    When an administrator creates the user "legacy" in "source" through SCIM version 1
    And the real-time pushes of "source" have been delivered
    Then the stand-in for Identity Provisioning received 1 push
    And the stand-in received the creation of "legacy" from "source" as a SCIM version 1 user

  Scenario: A CSV import of three users pushes three creations
    Given a mock landscape
    And tenant "source" has a real-time target standing in for Identity Provisioning
    When an administrator imports into "source" the CSV file:
      """
      userName,email,name.givenName,name.familyName,displayName
      amy,amy@example.com,Amy,Adams,Amy Adams
      ben,ben@example.com,Ben,"Brown, Jr.",Ben Brown
      cy,cy@example.com,Cy,Clark,Cy Clark
      """
    And the real-time pushes of "source" have been delivered
    Then the import reports "amy" created, "ben" created, "cy" created
    And the stand-in for Identity Provisioning received 3 pushes
    And the stand-in received the creation of "amy" from "source" as a SCIM version 2 user
    And the stand-in received the creation of "ben" from "source" as a SCIM version 2 user
    And the stand-in received the creation of "cy" from "source" as a SCIM version 2 user
    And the real-time log of "source" shows the CREATE of "ben" as "Finished Successfully"

  Scenario: A malformed CSV file is refused naming the row and column, and nothing is imported
    Given a mock landscape
    And tenant "source" has a real-time target standing in for Identity Provisioning
    When an administrator imports into "source" the CSV file:
      """
      userName,email,name.familyName
      amy,amy@example.com,Adams
      ben,"ben@example.com,Brown
      """
    Then the import is refused naming row 3 and column 2
    And the admin surface counts 0 users in "source"
    And the real-time log of "source" shows 0 deliveries

  Scenario: A target that answers 500 leaves a delivery that finished with error
    Given a mock landscape
    And tenant "source" has a real-time target standing in for Identity Provisioning, which answers every push with 500
    When an administrator creates the user "jdoe" in "source" through SCIM version 2
    And the real-time pushes of "source" have been delivered
    Then the stand-in for Identity Provisioning received 1 push
    And the real-time log of "source" shows the CREATE of "jdoe" as "Finished with Error" with HTTP status 500
    And no secret of the real-time target of "source" appears in the mock IAS's answers

  Scenario Outline: A malformed target registration is refused
    Given a mock landscape
    When an administrator registers for "source" a real-time target <flaw>
    Then the registration is refused, mentioning "<message>"
    And tenant "source" has no real-time targets

    Examples:
      | flaw                                      | message                                                  |
      | of type "SAP Jam"                         | $.type: expected "Identity Provisioning"                 |
      | with SCIM version 3                       | $.version: expected 1 or 2, not 3                        |
      | with both Basic and OAuth authentication  | expected exactly one of basic, oauth, certificate        |
      | without a client secret                   | $.authentication.basic.clientSecret: missing             |
      | whose URL is a SCIM Users endpoint        | $.url: expected the SCIM URL of the real-time API        |
      | whose body is cut off                     | invalid real-time target: line 1                         |
