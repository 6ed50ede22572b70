@provisioning
Feature: How IAS targets are written: conflicts, updates and deletions
  On a conflict Identity Provisioning looks the existing user up by the unique attribute and
  overwrites it, remembering that it existed before; such users are never deleted unless
  ips.delete.existedbefore.entities allows it. Deletions stop at the delete threshold
  (reference/ips-ias.md §2.3, §2.4).

  Background:
    Given a mock landscape
    And an IAS tenant "target" with SCIM API version 2
    And a source system "HR File" reading users from a file
    And a target system "IAS Target" for tenant "target" using the default transformation

  Scenario: A user that already exists in the target is found by userName and overwritten
    Given tenant "target" holds the users:
      | userName | email         | familyName |
      | A        | a@example.com | Old        |
    And the source holds the users:
      | userName | email         | familyName |
      | A        | a@example.com | Able       |
    When a Read job runs for "HR File"
    Then the job finished with status "Success"
    And the job log shows for "IAS Target": 0 created, 1 updated
    And tenant "target" holds exactly the users A
    And in tenant "target" the familyName of "A" is "Able"

  Scenario: With conflict resolution off, the conflict fails the user with 409, uniqueness
    Given tenant "target" holds the users:
      | userName | email         | familyName |
      | A        | a@example.com | Old        |
    And the source holds the users:
      | userName | email         | familyName |
      | A        | a@example.com | Able       |
    And the target system "IAS Target" has the property "ias.user.automatic.conflict.resolution" set to "false"
    When a Read job runs for "HR File"
    Then the job finished with status "Finished with Error"
    And the failed-entities log of the job says for "A": "409, uniqueness"
    And in tenant "target" the familyName of "A" is "Old"

  Scenario: A user that existed before is not deleted when it leaves the source
    Given tenant "target" holds the users:
      | userName | email         | familyName |
      | A        | a@example.com | Old        |
    And the source holds the users:
      | userName | email         | familyName |
      | A        | a@example.com | Able       |
    And a Read job has provisioned them to "IAS Target"
    When "A" leaves the source
    And a Read job runs for "HR File"
    Then the job log shows for "IAS Target": 0 deleted
    And tenant "target" holds exactly the users A

  Scenario: ips.delete.existedbefore.entities lets such users be deleted
    Given tenant "target" holds the users:
      | userName | email         | familyName |
      | A        | a@example.com | Old        |
    And the source holds the users:
      | userName | email         | familyName |
      | A        | a@example.com | Able       |
    And a Read job has provisioned them to "IAS Target"
    And the target system "IAS Target" has the property "ips.delete.existedbefore.entities" set to "true"
    When "A" leaves the source
    And a Read job runs for "HR File"
    Then the job log shows for "IAS Target": 1 deleted
    And tenant "target" holds no users

  Scenario: Above the delete threshold nothing is deleted and every candidate fails
    Given the source holds the users:
      | userName | email         | familyName |
      | A        | a@example.com | Able       |
      | B        | b@example.com | Baker      |
      | C        | c@example.com | Cole       |
    And a Read job has provisioned them to "IAS Target"
    And the target system "IAS Target" has the property "ips.delete.threshold.users" set to "1"
    When "B" leaves the source
    And "C" leaves the source
    And a Read job runs for "HR File"
    Then the job finished with status "Finished with Error"
    And the job log shows for "IAS Target": 0 deleted, 2 failed
    And the failed-entities log of the job says for "B": "ips.delete.threshold.users"
    And tenant "target" holds exactly the users A, B, C

  Scenario: At the threshold the deletions happen
    Given the source holds the users:
      | userName | email         | familyName |
      | A        | a@example.com | Able       |
      | B        | b@example.com | Baker      |
    And a Read job has provisioned them to "IAS Target"
    And the target system "IAS Target" has the property "ips.delete.threshold.users" set to "1"
    When "B" leaves the source
    And a Read job runs for "HR File"
    Then the job log shows for "IAS Target": 1 deleted
    And tenant "target" holds exactly the users A

  Scenario: Disable instead of delete: the user is deactivated and kept
    Given the source holds the users:
      | userName | email         | familyName |
      | A        | a@example.com | Able       |
    And a Read job has provisioned them to "IAS Target"
    And the target system "IAS Target" disables users instead of deleting them
    When "A" leaves the source
    And a Read job runs for "HR File"
    Then the job log shows for "IAS Target": 1 deleted
    And tenant "target" holds exactly the users A
    And in tenant "target" the user "A" is inactive

  Scenario: With PATCH updates only the mappings without scope are sent
    Given the source holds the users:
      | userName | email         | familyName |
      | A        | a@example.com | Able       |
    And a Read job has provisioned them to "IAS Target"
    And the target system "IAS Target" has the property "ias.support.patch.operation" set to "true"
    When in the source "A" changes familyName to "Able-Smith"
    And a Read job runs for "HR File"
    Then the job log shows for "IAS Target": 1 updated
    And tenant "target" received a PATCH of "A"
    And in tenant "target" the familyName of "A" is "Able-Smith"

  Scenario: skipOperations delete keeps users and logs them as skipped
    Given the source holds the users:
      | userName | email         | familyName |
      | A        | a@example.com | Able       |
    And a Read job has provisioned them to "IAS Target"
    And the target system "IAS Target" skips the operation "delete"
    And the source system "HR File" has the property "ips.trace.skipped.entity" set to "true"
    When "A" leaves the source
    And a Read job runs for "HR File"
    Then the skipped-entities log of the job says for "A": "Operation [delete] is skipped in target transformation"
    And tenant "target" holds exactly the users A

  Scenario: With ias.support.bulk.operation users go through /Bulk in batches of ias.bulk.operations.max.count
    Given the source holds the users:
      | userName | email         | familyName |
      | A        | a@example.com | Able       |
      | B        | b@example.com | Baker      |
      | C        | c@example.com | Cole       |
    And the target system "IAS Target" has the property "ias.support.bulk.operation" set to "true"
    And the target system "IAS Target" has the property "ias.bulk.operations.max.count" set to "2"
    When a Read job runs for "HR File"
    Then the job log shows for "IAS Target": 3 created
    And tenant "target" holds exactly the users A, B, C
    And during the last job tenant "target" received 2 Bulk requests
    When in the source "A" changes familyName to "Able-Smith"
    And "C" leaves the source
    And a Read job runs for "HR File"
    Then the job log shows for "IAS Target": 1 updated, 1 deleted
    And tenant "target" holds exactly the users A, B
    And in tenant "target" the familyName of "A" is "Able-Smith"

  Scenario: sapland.requests.in.flight sets how many requests a job keeps in flight
    Given the source holds the users:
      | userName | email         | familyName |
      | A        | a@example.com | Able       |
      | B        | b@example.com | Baker      |
      | C        | c@example.com | Cole       |
    And the target system "IAS Target" has the property "sapland.requests.in.flight" set to "1"
    When a Read job runs for "HR File"
    Then the job finished with status "Success"
    And tenant "target" holds exactly the users A, B, C

  Scenario: More requests in flight than IAS allows from one address stops the job before it starts
    Given the source holds the users:
      | userName | email         | familyName |
      | A        | a@example.com | Able       |
    And the target system "IAS Target" has the property "sapland.requests.in.flight" set to "51"
    When a Read job is started for "HR File"
    Then the job command exits with code 2
    And the error says "sapland.requests.in.flight: 51 is above the maximum 50; expected a whole number from 1 to 50 (default 32)"
    And tenant "target" holds no users
