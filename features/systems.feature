@systems
Feature: Inspect Identity Provisioning systems from their exports
  An administrator exports a system from the Identity Provisioning admin console and asks
  sapland what it will use: every property with its effective value, whether the export set it
  or SAP's documented default applies, and the credentials, which never travel in exports and
  are never shown. A bad export or a missing credential is refused with exit code 2 and a
  message that says what is wrong and where.

  Background:
    Given a systems directory

  Scenario: A source system shows its properties and the documented source defaults
    Given an exported source system "IAS Source" for an IAS tenant with SCIM API version 2
    And the secrets file holds the Password of "IAS Source"
    When I show the system "IAS Source"
    Then the command succeeds
    And the system is shown as a source system of connector type SAP_CLOUD_IDENTITY
    And property "ias.api.version" is "2" from the export
    And property "ips.failed.request.retry.attempts" is "2" by default
    And property "ips.failed.request.retry.attempts.interval" is "30" by default
    And property "ips.delta.read" is "disabled" by default
    And property "ips.trace.failed.entity.content" is "false" by default
    And property "Password" is masked and comes from the secrets file
    And no secret appears in the output

  Scenario: A target system shows the documented target defaults
    Given an exported target system "IAS Target" for an IAS tenant with SCIM API version 2
    And the secrets file holds the Password of "IAS Target"
    When I show the system "IAS Target"
    Then the command succeeds
    And the system is shown as a target system of connector type SAP_CLOUD_IDENTITY
    And property "ias.user.unique.attribute" is "userName" by default
    And property "ias.user.automatic.conflict.resolution" is "true" by default
    And property "ias.support.patch.operation" is "false" by default
    And property "ias.bulk.operations.max.count" is "20" by default
    And property "ips.delta.read" is not shown
    And no secret appears in the output

  Scenario: A system exported without ias.api.version uses the SCIM API version 1
    Given an exported target system "Old Target" for an IAS tenant without an API version
    And the secrets file holds the Password of "Old Target"
    When I show the system "Old Target"
    Then the command succeeds
    And property "ias.api.version" is "1" by default

  Scenario: Custom properties for transformations are kept
    Given an exported target system "IAS Target" for an IAS tenant with SCIM API version 2
    And its property "company.prefix" is "ACME"
    And the secrets file holds the Password of "IAS Target"
    When I show the system "IAS Target"
    Then the command succeeds
    And property "company.prefix" is "ACME" from the export, as a custom property

  Scenario: An environment variable supplies the Password and wins over the secrets file
    Given an exported target system "IAS Target" for an IAS tenant with SCIM API version 2
    And the secrets file holds the Password of "IAS Target"
    And the environment variable SAPLAND_SECRET__IAS_TARGET__PASSWORD holds another Password
    When I show the system "IAS Target"
    Then the command succeeds
    And property "Password" is masked and comes from the environment
    And no secret appears in the output

  Scenario: A missing secret
    Given an exported target system "IAS Target" for an IAS tenant with SCIM API version 2
    When I show the system "IAS Target"
    Then the command fails with exit code 2
    And the error says "uses BasicAuthentication but has no Password"
    And the error says "under [\"IAS Target\"] in the secrets file"
    And the error says "SAPLAND_SECRET__IAS_TARGET__PASSWORD"

  Scenario: Malformed JSON
    Given an exported target system "IAS Target" for an IAS tenant with SCIM API version 2
    And its export file is cut off in the middle of its properties
    When I show the system "IAS Target"
    Then the command fails with exit code 2
    And the error names the export file with the line and column where the JSON ends
    And the error says "EOF while parsing"

  Scenario: An Authentication value in the wrong letter case
    Given an exported target system "IAS Target" for an IAS tenant with SCIM API version 2
    And the secrets file holds the Password of "IAS Target"
    And its property "Authentication" is "basicauthentication"
    When I show the system "IAS Target"
    Then the command fails with exit code 2
    And the error points at property "Authentication" in the export
    And the error says "values are case-sensitive: did you mean \"BasicAuthentication\"?"

  Scenario: An unknown Authentication value
    Given an exported target system "IAS Target" for an IAS tenant with SCIM API version 2
    And the secrets file holds the Password of "IAS Target"
    And its property "Authentication" is "OAuth2ClientCredentials"
    When I show the system "IAS Target"
    Then the command fails with exit code 2
    And the error points at property "Authentication" in the export
    And the error says "expected one of NoAuthentication, BasicAuthentication, ClientCertificateAuthentication"

  Scenario: A retry-attempts value of 5
    Given an exported target system "IAS Target" for an IAS tenant with SCIM API version 2
    And the secrets file holds the Password of "IAS Target"
    And its property "ips.failed.request.retry.attempts" is "5"
    When I show the system "IAS Target"
    Then the command fails with exit code 2
    And the error points at property "ips.failed.request.retry.attempts" in the export
    And the error says "5 is above the maximum 3"

  Scenario Outline: Documented limits of properties are enforced
    Given an exported target system "IAS Target" for an IAS tenant with SCIM API version 2
    And the secrets file holds the Password of "IAS Target"
    And its property "<property>" is "<value>"
    When I show the system "IAS Target"
    Then the command fails with exit code 2
    And the error points at property "<property>" in the export
    And the error says "<message>"

    Examples:
      | property                                   | value | message                             |
      | ips.failed.request.retry.attempts.interval | 61    | 61 is above the maximum 60          |
      | ips.delete.threshold.users                 | 0     | 0 is below the minimum 1            |
      | ips.delete.threshold.groups                | many  | expected a whole number of at least 1 |
      | ias.patch.group.members.above.threshold    | 20001 | 20001 is above the maximum 20000    |
      | ias.support.patch.operation                | yes   | expected true or false              |
      | ias.api.version                            | 3     | expected one of 1, 2                |

  Scenario: A bulk operation count above 100 is replaced by 20, as IPS does
    Given an exported target system "IAS Target" for an IAS tenant with SCIM API version 2
    And the secrets file holds the Password of "IAS Target"
    And its property "ias.bulk.operations.max.count" is "150"
    When I show the system "IAS Target"
    Then the command succeeds
    And property "ias.bulk.operations.max.count" is "20" from the export
    And a warning says "150 is above the maximum 100, so IPS uses 20"

  Scenario: A credential inside an export is refused and not echoed
    Given an exported target system "IAS Target" for an IAS tenant with SCIM API version 2
    And the secrets file holds the Password of "IAS Target"
    And its property "Password" is "pasted-by-mistake"
    When I show the system "IAS Target"
    Then the command fails with exit code 2
    And the error says "Password is a credential and must not be in the export"
    And no secret appears in the output
