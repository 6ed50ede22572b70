@calm
Feature: Provisioning jobs show up in Cloud ALM Job & Automation Monitoring
  With a Cloud ALM service key, the agent reports every Read, Resync and Simulate job to Job &
  Automation Monitoring as an execution of the Identity Provisioning service: job name and id
  from the source system and the job type, execution and application status, start and end,
  and the counts. Cloud ALM groups the jobs by system name and job type and rates each
  execution. A Cloud ALM that is down never blocks or fails a job: the report waits for the next
  one (reference/cloud-alm.md §2.9, §4).

  Background:
    Given a mock landscape
    And an IAS tenant "target" with SCIM API version 2
    And a source system "HR File" reading users from a file
    And a target system "IAS Target" for tenant "target" using the default transformation
    And the agent reports jobs to Cloud ALM with the landscape's service key
    And the source holds the users:
      | userName | email         | familyName |
      | A        | a@example.com | Able       |
      | B        | b@example.com | Baker      |

  Scenario: Read, Resync and Simulate jobs are reported, grouped by system name and job type
    When a Read job runs for "HR File"
    And a Resync job runs for "HR File"
    And a Simulate job runs for "HR File"
    And a Read job runs for "HR File"
    Then Cloud ALM lists for the system "HR File" the jobs of type "IPS_PROVISIONING_JOB": "HR File READ", "HR File RESYNC", "HR File SIMULATE"
    And Cloud ALM shows 2 executions of the job "HR File|READ"
    And every execution of the job "HR File|READ" in Cloud ALM is Completed with application status Success
    And the first execution of the job "HR File|READ" in Cloud ALM counts 2 created and 2 read
    And the last execution of the job "HR File|READ" in Cloud ALM is the last job

  Scenario: A job that finished with errors is an application error in Cloud ALM
    Given tenant "target" answers the next 1 user creation with 500
    When a Read job runs for "HR File"
    Then the job finished with status "Finished with Error"
    And every execution of the job "HR File|READ" in Cloud ALM is Completed with application status Error
    And the first execution of the job "HR File|READ" in Cloud ALM counts 1 created and 1 failed

  Scenario: When Cloud ALM is down the job still succeeds and its report goes with the next job
    Given Cloud ALM answers every request with 503
    When a Read job runs for "HR File"
    Then the job finished with status "Success"
    And the job command exits with code 0
    And a warning says "Cloud ALM"
    And Cloud ALM shows 0 executions of the job "HR File|READ"
    When Cloud ALM answers again
    And a Read job runs for "HR File"
    Then Cloud ALM shows 2 executions of the job "HR File|READ"

  Scenario: The jobs can be read back through the Analytics API, as a monitoring tool would
    When a Read job runs for "HR File"
    And I list the jobs of Cloud ALM with the landscape's service key
    Then the command succeeds
    And the output lists the job "HR File READ"
    And no secret appears in the output
    When I list the executions of the job "HR File|READ" in Cloud ALM since 2 hours
    Then the command succeeds
    And the output lists 1 execution
