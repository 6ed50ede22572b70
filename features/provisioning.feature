@provisioning
Feature: Read, Delta Read and Resync jobs provision identities the way Identity Provisioning does
  Identity Provisioning reads the users of a source system, transforms them, and writes them to
  every enabled target system connected to the source. A Read job writes only new or changed
  users and deletes the ones that left the source; a delta read reads only what changed since the
  last successful job and never deletes; a Resync writes everything again. These scenarios run
  SAP's own worked example (reference/ips-ias.md §2.4).

  Background:
    Given a mock landscape
    And an IAS tenant "target" with SCIM API version 2
    And a source system "HR File" reading users from a file
    And a target system "IAS Target" for tenant "target" using the default transformation

  Scenario: The first Read job creates every user of the source
    Given the source holds the users:
      | userName | email         | familyName |
      | A        | a@example.com | Able       |
      | B        | b@example.com | Baker      |
    When a Read job runs for "HR File"
    Then the job finished with status "Success"
    And the job log shows for "IAS Target": 2 created, 0 updated, 0 deleted
    And the job log shows for "HR File": 2 read
    And tenant "target" holds exactly the users A, B
    And in tenant "target" the familyName of "A" is "Able"

  Scenario: SAP's worked example — Read after an update, a deletion and a hire
    Given the source holds the users:
      | userName | email         | familyName |
      | A        | a@example.com | Able       |
      | B        | b@example.com | Baker      |
      | C        | c@example.com | Cole       |
      | D        | d@example.com | Dunn       |
    And a Read job has provisioned them to "IAS Target"
    When in the source "C" changes familyName to "Cole-Smith"
    And "D" leaves the source
    And "E" with email "e@example.com" joins the source
    And a Read job runs for "HR File"
    Then the job log shows for "IAS Target": 1 created, 1 updated, 1 deleted
    And tenant "target" holds exactly the users A, B, C, E
    And in tenant "target" the familyName of "C" is "Cole-Smith"

  Scenario: SAP's worked example — Resync writes every user again and deletes the one that left
    Given the source holds the users:
      | userName | email         | familyName |
      | A        | a@example.com | Able       |
      | B        | b@example.com | Baker      |
      | C        | c@example.com | Cole       |
      | D        | d@example.com | Dunn       |
    And a Read job has provisioned them to "IAS Target"
    When in the source "C" changes familyName to "Cole-Smith"
    And "D" leaves the source
    And "E" with email "e@example.com" joins the source
    And a Resync job runs for "HR File"
    Then the job log shows for "IAS Target": 1 created, 3 updated, 1 deleted
    And tenant "target" holds exactly the users A, B, C, E

  Scenario: A second Read job without changes writes nothing
    Given the source holds the users:
      | userName | email         | familyName |
      | A        | a@example.com | Able       |
    And a Read job has provisioned them to "IAS Target"
    When a Read job runs for "HR File"
    Then the job log shows for "IAS Target": 0 created, 0 updated, 0 deleted
    And tenant "target" received no write since the first job

  Scenario: A Read compares each user with its last write, whether that was a create or an update
    Given the source holds the users:
      | userName | email         | familyName |
      | A        | a@example.com | Able       |
      | C        | c@example.com | Cole       |
    And a Read job has provisioned them to "IAS Target"
    When in the source "C" changes familyName to "Cole-Smith"
    And a Read job runs for "HR File"
    And a Read job runs for "HR File"
    Then the job log shows for "IAS Target": 0 created, 0 updated, 0 deleted
    And in tenant "target" the familyName of "C" is "Cole-Smith"

  Scenario: A user that fails the target condition is skipped with the reason IPS logs
    Given the source holds the users:
      | userName | email         | familyName |
      | A        | a@example.com | Able       |
      | NOMAIL   |               | Nobody     |
    And the source system "HR File" has the property "ips.trace.skipped.entity" set to "true"
    When a Read job runs for "HR File"
    Then the job finished with status "Success"
    And the job log shows for "IAS Target": 1 created, 1 skipped
    And the skipped-entities log of the job says for "NOMAIL": "Entity condition [($.emails EMPTY false) && ($.userName EMPTY false) && isValidEmail($.emails[0].value)] is not fulfilled"

  Scenario: A user the target refuses fails, the job finishes with errors, and the others are written
    Given tenant "target" holds the users:
      | userName | email         | familyName |
      | X        | b@example.com | Other      |
    And the source holds the users:
      | userName | email         | familyName |
      | A        | a@example.com | Able       |
      | B        | b@example.com | Baker      |
    And the target system "IAS Target" has the property "ias.user.automatic.conflict.resolution" set to "false"
    When a Read job runs for "HR File"
    Then the job finished with status "Finished with Error"
    And the job command exits with code 1
    And the job log shows for "IAS Target": 1 created, 1 failed
    And the failed-entities log of the job says for "B": "409, uniqueness"

  Scenario: The job log can be read back as IPS writes its downloads
    Given the source holds the users:
      | userName | email         | familyName |
      | A        | a@example.com | Able       |
    And the source system "HR File" has the property "ips.trace.created.entity" set to "true"
    And a Read job has provisioned them to "IAS Target"
    When I read the created-entities log of the last job
    Then it lists "user:" entries for the system "IAS Target"
