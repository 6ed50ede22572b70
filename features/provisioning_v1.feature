@provisioning
Feature: Targets on the Identity Authentication SCIM API version 1
  Systems exported without ias.api.version, or with 1, write through the deprecated SCIM API at
  /service/scim: P-number ids, updates by PUT, the v1 default transformation with its string
  flags, and groups ignored (reference/ips-ias.md §1.12, §3.3).

  Background:
    Given a mock landscape
    And an IAS tenant "target" with SCIM API version 2
    And a source system "HR File" reading users from a file
    And a target system "IAS Target v1" for tenant "target" on SCIM API version 1 using the default transformation

  Scenario: Users are created, updated and deleted through SCIM version 1
    Given the source holds the users:
      | userName | email         | familyName |
      | A        | a@example.com | Able       |
      | B        | b@example.com | Baker      |
    And a Read job has provisioned them to "IAS Target v1"
    When in the source "A" changes familyName to "Able-Smith"
    And "B" leaves the source
    And a Read job runs for "HR File"
    Then the job log shows for "IAS Target v1": 0 created, 1 updated, 1 deleted
    And tenant "target" holds exactly the users A
    And in tenant "target" the familyName of "A" is "Able-Smith"
    And tenant "target" received the writes through SCIM version 1
