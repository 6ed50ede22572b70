@provisioning
Feature: Failed requests are retried the way Identity Provisioning retries them
  A write that times out or is answered with 429 or 502 is retried after
  ips.failed.request.retry.attempts.interval, at most ips.failed.request.retry.attempts times, on
  the landscape clock. When the retries run out the entity fails and the next job tries it again.
  A source that cannot be read fails the job and nothing is deleted (reference/ips-ias.md §2.5).

  Background:
    Given a mock landscape
    And an IAS tenant "target" with SCIM API version 2
    And a source system "HR File" reading users from a file
    And a target system "IAS Target" for tenant "target" using the default transformation
    And the source holds the users:
      | userName | email         | familyName |
      | A        | a@example.com | Able       |

  Scenario: A 429 with Retry-After is retried after the time the target asks for
    Given tenant "target" answers the next 1 user creation with 429 and Retry-After 10
    When a Read job runs for "HR File"
    Then the job finished with status "Success"
    And tenant "target" holds exactly the users A
    And the landscape clock moved at least 10 seconds during the job

  Scenario: A 502 is retried after the retry interval
    Given tenant "target" answers the next 1 user creation with 502
    And the target system "IAS Target" has the property "ips.failed.request.retry.attempts.interval" set to "20"
    When a Read job runs for "HR File"
    Then the job finished with status "Success"
    And the landscape clock moved at least 20 seconds during the job

  Scenario: A 500 is not retried and fails the user; the next job creates it
    Given tenant "target" answers the next 1 user creation with 500
    When a Read job runs for "HR File"
    Then the job finished with status "Finished with Error"
    And the job log shows for "IAS Target": 0 created, 1 failed
    When a Read job runs for "HR File"
    Then the job log shows for "IAS Target": 1 created
    And tenant "target" holds exactly the users A

  Scenario: When the retries run out the user fails with the last answer
    Given tenant "target" answers the next 3 user creations with 429 and Retry-After 1
    When a Read job runs for "HR File"
    Then the job finished with status "Finished with Error"
    And the failed-entities log of the job says for "A": "429"

  Scenario: A timeout is retried
    Given the agent gives up on a request after 200 milliseconds
    And tenant "target" delays the next 1 user creation by 1000 milliseconds
    When a Read job runs for "HR File"
    Then the job finished with status "Success"
    And tenant "target" holds exactly the users A

  Scenario: An unreachable source fails the job and nothing is deleted
    Given a Read job has provisioned them to "IAS Target"
    And the source file of "HR File" cannot be read
    When a Read job runs for "HR File"
    Then the job finished with status "Finished with Error"
    And the job error says "cannot read"
    And the job log shows for "IAS Target": 0 deleted
    And tenant "target" holds exactly the users A

  Scenario: An unreachable IAS source fails the job and nothing is deleted
    Given an IAS tenant "source" with SCIM API version 2
    And a source system "IAS Source" for tenant "source" using the default transformation
    And a target system "IAS Target 2" for tenant "target" fed by "IAS Source" using the default transformation
    And tenant "source" answers every request with 503
    When a Read job runs for "IAS Source"
    Then the job finished with status "Finished with Error"
    And the job command exits with code 1
    And the job error says "503"
    And the job log shows for "IAS Target 2": 0 created, 0 deleted
