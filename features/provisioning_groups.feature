@provisioning
Feature: Groups and their members follow the users they contain
  Users and groups are provisioned in one job, users first; a group's members are written with
  the ids the target gave the users. A user that failed or was skipped is not assigned, even when
  it exists in the target (reference/ips-ias.md §2.3).

  Background:
    Given a mock landscape
    And an IAS tenant "source" with SCIM API version 2
    And an IAS tenant "target" with SCIM API version 2
    And a source system "IAS Source" for tenant "source" using the default transformation
    And a target system "IAS Target" for tenant "target" using the default transformation
    And tenant "source" holds the users:
      | userName | email         | familyName |
      | A        | a@example.com | Able       |
      | B        | b@example.com | Baker      |

  Scenario: A group is created with its members resolved to the target's user ids
    Given tenant "source" holds the group "Sales" with the members A, B
    When a Read job runs for "IAS Source"
    Then the job finished with status "Success"
    And the job log shows for "IAS Target": 2 created users, 1 created group
    And in tenant "target" the group "Sales" has the members A, B

  Scenario: A member that was skipped is not assigned
    Given tenant "source" holds the users:
      | userName | email      | familyName |
      | X        | not-a-mail | Xeno       |
    And tenant "source" holds the group "Sales" with the members A, X
    When a Read job runs for "IAS Source"
    Then in tenant "target" the group "Sales" has the members A

  Scenario: A member who leaves the group in the source leaves it in the target
    Given tenant "source" holds the group "Sales" with the members A, B
    And a Read job has provisioned them to "IAS Target"
    When in tenant "source" the group "Sales" gets the members A
    And a Read job runs for "IAS Source"
    Then the job log shows for "IAS Target": 1 updated group
    And in tenant "target" the group "Sales" has the members A

  Scenario: A group that leaves the source is deleted from the target
    Given tenant "source" holds the group "Sales" with the members A
    And a Read job has provisioned them to "IAS Target"
    When the group "Sales" is deleted from tenant "source"
    And a Read job runs for "IAS Source"
    Then the job log shows for "IAS Target": 1 deleted group
    And tenant "target" holds no group "Sales"

  Scenario: Above ias.patch.group.members.above.threshold members go in PATCH batches
    Given tenant "source" holds the users:
      | userName | email         | familyName |
      | C        | c@example.com | Cole       |
      | D        | d@example.com | Dunn       |
      | E        | e@example.com | Evans      |
    And tenant "source" holds the group "Sales" with the members A, B, C, D, E
    And the target system "IAS Target" has the property "ias.patch.group.members.above.threshold" set to "2"
    When a Read job runs for "IAS Source"
    Then in tenant "target" the group "Sales" has the members A, B, C, D, E
    And during the last job tenant "target" received 3 PATCH requests for the group "Sales"
    When in tenant "source" the group "Sales" gets the members A, B, C
    And a Read job runs for "IAS Source"
    Then in tenant "target" the group "Sales" has the members A, B, C
    And during the last job tenant "target" received 2 PATCH requests for the group "Sales" removing 2 members
