@calm
Feature: Reading raw logs from Cloud ALM, with the quirks live tenants show
  The Cloud ALM logs API (`GET /api/calm-logs/v1/logs`) answers OpenTelemetry logs of a provider
  for one service. Third parties recorded how live tenants treat a read (reference/cloud-alm.md
  §2.1, §2.8): serviceId must be a plain parameter, a window is at most 60 minutes, `from` and
  `to` are YYYYMMDDHHmmss, and paging needs onLimit=truncate. sapland's client follows all of
  it: it reads a job's executions further back than an hour in windows of at most 60 minutes.

  Background:
    Given a mock landscape
    And a client has a Cloud ALM token of the landscape's secret key

  Scenario: The logs of the last hour, as OTLP JSON
    Given Identity Provisioning has reported 3 executions of the job "HR File|READ" to Cloud ALM, one every 20 minutes
    When the client reads the logs of provider "jam.run" with "serviceId={ips}&period=60M&format=protobuf-json&version=V1"
    Then the answer is 200
    And the answer holds 3 log records of the job "HR File|READ"

  Scenario: Without a format the logs come as OTLP protobuf
    Given Identity Provisioning has reported 1 execution of the job "HR File|READ" to Cloud ALM, one every 1 minute
    When the client reads the logs of provider "jam.run" with "serviceId={ips}&period=60M"
    Then the answer is 200
    And the answer's content type is "application/x-protobuf"

  Scenario Outline: What live tenants refuse
    Given Identity Provisioning has reported 1 execution of the job "HR File|READ" to Cloud ALM, one every 1 minute
    When the client reads the logs of provider "jam.run" with "<query>"
    Then the answer is <status>
    And the Cloud ALM error says "<message>"

    Examples:
      | query                                                    | status | message                                     |
      | logsFilters[serviceId]={ips}&format=protobuf-json         | 428    | A required parameter is missing : serviceId |
      | serviceId={ips}&period=61M                               | 400    | Time interval > 60 mins                     |
      | serviceId={ips}&from=2026-11-22T08:00:00Z                | 400    | From is not of format YYYYMMDDHHmmss        |
      | serviceId={ips}&from=20261122070000&to=20261122090000    | 400    | Time interval > 60 mins                     |

  Scenario: More records than a page holds need onLimit=truncate
    Given Identity Provisioning has reported 1001 executions of the job "HR File|READ" to Cloud ALM, one every 3 seconds
    When the client reads the logs of provider "jam.run" with "serviceId={ips}&format=protobuf-json&limit=100&offset=0"
    Then the answer is 403
    And the Cloud ALM error says "Response total count is over the limit"
    When the client reads the logs of provider "jam.run" with "serviceId={ips}&format=protobuf-json&limit=100&offset=1000&onLimit=TRUNCATE"
    Then the answer is 200
    And the answer holds 1 log record of the job "HR File|READ"
    And the answer's header "x-total-count" is "1001"

  Scenario: sapland reads a job's executions further back than an hour, in windows of 60 minutes
    Given Identity Provisioning has reported 4 executions of the job "HR File|READ" to Cloud ALM, one every 50 minutes
    When I list the executions of the job "HR File|READ" in Cloud ALM since 3 hours
    Then the command succeeds
    And the output lists 4 executions
    And Cloud ALM's logs were read in windows of at most 60 minutes that cover 3 hours
