@provisioning
Feature: Simulate and Validate show what a job would do and write nothing
  A Simulate job reports the counts a Resync would have from the operational data, without
  writing; a Validate job transforms at most 10 users and 10 groups from a CSV file and shows the
  content each target would receive (reference/ips-ias.md §2.1).

  Background:
    Given a mock landscape
    And an IAS tenant "target" with SCIM API version 2
    And a source system "HR File" reading users from a file
    And a target system "IAS Target" for tenant "target" using the default transformation

  Scenario: Simulate counts creates, updates and deletes of a resync and writes nothing
    Given the source holds the users:
      | userName | email         | familyName |
      | A        | a@example.com | Able       |
      | B        | b@example.com | Baker      |
    And a Read job has provisioned them to "IAS Target"
    When "B" leaves the source
    And "C" with email "c@example.com" joins the source
    And a Simulate job runs for "HR File"
    Then the job finished with status "Success"
    And the job log shows for "IAS Target": 1 created, 1 updated, 1 deleted
    And tenant "target" holds exactly the users A, B
    And tenant "target" received no write since the first job

  Scenario: Validate shows the mapped content per target from a CSV file
    Given the CSV file "validate.csv":
      """
      userName,emails[0].value,name.familyName,active:boolean
      jdoe,jdoe@example.com,Doe,true
      nomail,,Nobody,true
      """
    When a Validate job runs for "HR File" with "validate.csv"
    Then the command succeeds
    And the validation shows for "IAS Target" the user "jdoe" with the userName "jdoe"
    And the validation shows for "IAS Target" the user "nomail" as skipped
    And tenant "target" holds no users

  Scenario: Validate refuses more than 10 users
    Given a CSV file "many.csv" with 11 users
    When a Validate job runs for "HR File" with "many.csv"
    Then the command fails with exit code 2
    And the error says "at most 10 users"
