@provisioning
Feature: Delta reads from an IAS source read only what changed and never delete
  With ips.delta.read enabled, a Read job asks the IAS source only for users whose
  meta.lastModified is after the start of the last successful job (users only, SCIM API
  version 2). Deletions are never processed in delta mode (reference/ips-ias.md §2.2).

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
      | C        | c@example.com | Cole       |
      | D        | d@example.com | Dunn       |
    And a Read job has provisioned them to "IAS Target"

  Scenario: SAP's worked example — Delta Read creates E, updates C and keeps D
    Given the source system "IAS Source" has the property "ips.delta.read" set to "enabled"
    When the landscape clock advances 5 minutes
    And in tenant "source" the user "C" changes familyName to "Cole-Smith"
    And the user "D" is deleted from tenant "source"
    And "E" with email "e@example.com" is created in tenant "source"
    And a Read job runs for "IAS Source"
    Then the job ran in read mode "Delta"
    And the job log shows for "IAS Source": 2 read
    And the job log shows for "IAS Target": 1 created, 1 updated, 0 deleted
    And tenant "target" holds exactly the users A, B, C, D, E

  Scenario: The first job of a source always reads fully
    Given the source system "IAS Source" has the property "ips.delta.read" set to "enabled"
    And the operational data of "IAS Source" is reset
    When a Read job runs for "IAS Source"
    Then the job ran in read mode "Full"

  Scenario: ips.full.read.force.count counts scheduled delta reads only; a manual job stays delta
    Given the source system "IAS Source" has the property "ips.delta.read" set to "enabled"
    And the source system "IAS Source" has the property "ips.full.read.force.count" set to "1"
    When a Read job runs for "IAS Source"
    And a Read job runs for "IAS Source"
    Then the job ran in read mode "Delta"

  Scenario: A source filter reads only the matching users
    Given the source system "IAS Source" has the property "ias.user.filter" set to "userName eq \"A\" or userName eq \"B\""
    When a Read job runs for "IAS Source"
    Then the job log shows for "IAS Source": 2 read
    And the job log shows for "IAS Target": 0 created, 0 updated, 2 deleted
    And tenant "target" holds exactly the users A, B
