@transformations
Feature: Transformations map identities the way Identity Provisioning does
  A target system's write transformation turns the intermediate SCIM JSON of an identity into what
  the target receives. sapland runs any IPS transformation — SAP's defaults or your own — on one
  entity and shows what Identity Provisioning would write, skip or fail, with the texts of its job
  logs, so that a transformation can be tried before a job runs.

  Scenario: SAP's default write transformation for SCIM API version 2 creates a user
    Given SAP's default transformation "ias-target-v2"
    And the user:
      | attribute                                                          | value                 |
      | userName                                                           | jdoe                  |
      | name.givenName                                                     | Jane                  |
      | name.familyName                                                    | Doe                   |
      | emails[0].value                                                    | jane.doe@example.com  |
      | emails[0].primary                                                  | true                  |
      | emails[0].type                                                     | work                  |
      | addresses[0].type                                                  | other                 |
      | addresses[0].country                                               | DE                    |
      | urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department | Sales              |
    When I transform it for create
    Then the entity is written as:
      """
      {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
                    "urn:ietf:params:scim:schemas:extension:sap:2.0:User",
                    "urn:sap:cloud:scim:schemas:extension:custom:2.0:User"],
        "userName": "jdoe",
        "urn:ietf:params:scim:schemas:extension:sap:2.0:User": {
          "emails": [{"value": "jane.doe@example.com", "primary": true, "verified": true}],
          "sendMail": false,
          "mailVerified": true,
          "passwordDetails": {"status": "disabled"}
        },
        "emails": [{"value": "jane.doe@example.com"}],
        "name": {"givenName": "Jane", "familyName": "Doe"},
        "addresses": [{"type": "work", "country": "DE"}],
        "userType": "employee",
        "active": true,
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Sales"}
      }
      """

  Scenario: On update the default sends the target id and leaves out what only applies on create
    Given SAP's default transformation "ias-target-v2"
    And the variable "entityIdTargetSystem" is "5f1a2b3c-0000-4000-8000-000000000001"
    And the user:
      | attribute       | value                |
      | userName        | jdoe                 |
      | name.familyName | Doe-Smith            |
      | emails[0].value | jane.doe@example.com |
    When I transform it for update
    Then the written entity has:
      | attribute       | value                                |
      | id              | 5f1a2b3c-0000-4000-8000-000000000001 |
      | name.familyName | Doe-Smith                            |
      | active          | true                                 |
    And the written entity has no "urn:ietf:params:scim:schemas:extension:sap:2.0:User"

  Scenario: SAP's default write transformation for SCIM API version 1 writes string flags
    Given SAP's default transformation "ias-target-v1"
    And the user:
      | attribute       | value                |
      | userName        | jdoe                 |
      | name.familyName | Doe                  |
      | emails[0].value | jane.doe@example.com |
      | timezone        | Europe/Berlin        |
    When I transform it for create
    Then the written entity has:
      | attribute       | value                                           |
      | emails          | [{"value": "jane.doe@example.com"}]             |
      | timeZone        | Europe/Berlin                                   |
      | sendMail        | "false"                                         |
      | mailVerified    | "true"                                          |
      | passwordStatus  | disabled                                        |
      | schemas         | ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] |

  Scenario: The v1 default ignores groups
    Given SAP's default transformation "ias-target-v1"
    And the group:
      | attribute   | value |
      | displayName | Sales |
    When I transform it for create
    Then the entity type is ignored

  Scenario: A user without a valid e-mail is skipped with the text of the skipped-entities log
    Given SAP's default transformation "ias-target-v2"
    And the user:
      | attribute       | value        |
      | userName        | jdoe         |
      | emails[0].value | not-an-email |
    When I transform it for create
    Then the entity is skipped with the reason "Entity condition [($.emails EMPTY false) && ($.userName EMPTY false) && isValidEmail($.emails[0].value)] is not fulfilled"

  Scenario: skipOperations skips a listed operation after the condition holds
    Given the transformation:
      """
      {"user": {"condition": "$.userName EMPTY false", "skipOperations": ["delete"],
                "mappings": [{"sourcePath": "$.userName", "targetPath": "$.userName"}]}}
      """
    And the user:
      | attribute | value |
      | userName  | jdoe  |
    When I transform it for delete
    Then the entity is skipped with the reason "Operation [delete] is skipped in target transformation"

  Scenario: Disable instead of delete: deleteEntity mappings turn a delete into a PATCH
    Given the transformation:
      """
      {"user": {"condition": "$.emails EMPTY false", "mappings": [
        {"sourceVariable": "entityIdTargetSystem", "targetPath": "$.id"},
        {"sourcePath": "$.userName", "targetPath": "$.userName"},
        {"constant": "urn:ietf:params:scim:api:messages:2.0:PatchOp", "targetPath": "$.schemas[0]", "scope": "deleteEntity"},
        {"constant": "replace", "targetPath": "$.Operations[0].op", "scope": "deleteEntity"},
        {"constant": "active", "targetPath": "$.Operations[0].path", "scope": "deleteEntity"},
        {"constant": false, "targetPath": "$.Operations[0].value", "scope": "deleteEntity"}]}}
      """
    And the variable "entityIdTargetSystem" is "5f1a2b3c-0000-4000-8000-000000000001"
    And the user:
      | attribute | value |
      | userName  | jdoe  |
    When I transform it for delete
    Then the entity is written as:
      """
      {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations": [{"op": "replace", "path": "active", "value": false}]}
      """

  Scenario: Without deleteEntity mappings a delete stays a delete
    Given SAP's default transformation "ias-target-v2"
    And the user:
      | attribute | value |
      | userName  | jdoe  |
    When I transform it for delete
    Then the entity is deleted in the target

  Scenario: A value mapping looks up a tuple of source values
    Given the transformation:
      """
      {"user": {"mappings": [
        {"sourcePath": "$.userName", "targetPath": "$.userName"},
        {"sourcePaths": ["$.addresses[0].country", "$.addresses[0].locality"], "defaultValue": "UTC",
         "targetPath": "$.timezone", "type": "valueMapping",
         "valueMappings": [{"key": ["US", "New York"], "mappedValue": "EST"},
                           {"key": ["US", "Dallas"], "mappedValue": "CST"},
                           {"key": ["Germany", "Berlin"], "mappedValue": "CET"}]}]}}
      """
    And the user:
      | attribute             | value  |
      | userName              | jdoe   |
      | addresses[0].country  | US     |
      | addresses[0].locality | Dallas |
    When I transform it for create
    Then the written entity has:
      | attribute | value |
      | timezone  | CST   |

  Scenario: A value mapping without a match writes its default
    Given the transformation:
      """
      {"user": {"mappings": [
        {"sourcePaths": ["$.addresses[0].country"], "defaultValue": "UTC", "targetPath": "$.timezone",
         "type": "valueMapping", "valueMappings": [{"key": ["Germany"], "mappedValue": "CET"}]}]}}
      """
    And the user:
      | attribute            | value  |
      | addresses[0].country | France |
    When I transform it for create
    Then the written entity has:
      | attribute | value |
      | timezone  | UTC   |

  Scenario: System properties are substituted where %key% stands, and a missing one reads null
    Given the transformation:
      """
      {"user": {"mappings": [
        {"sourcePath": "$.userName", "targetPath": "$.userName",
         "functions": [{"function": "concatString", "suffix": "@%aad.domain.name%"}]},
        {"condition": "'%sac.group.prefix%' !== 'null'", "constant": "prefixed", "targetPath": "$.nickName"}]}}
      """
    And the system property "aad.domain.name" is "example.onmicrosoft.com"
    And the user:
      | attribute | value |
      | userName  | jdoe  |
    When I transform it for create
    Then the written entity has:
      | attribute | value                        |
      | userName  | jdoe@example.onmicrosoft.com |
    And the written entity has no "nickName"

  Scenario: A system export's transformation sees its properties as a job does, the catalogue's defaults included
    Given the system export:
      """
      {"connectorTypeString": "SAP_CLOUD_IDENTITY", "accessMode": "WRITE", "name": "IAS Target",
       "properties": {"URL": "https://t.example.com"},
       "transformation": {"user": {"mappings": [
         {"sourcePath": "$.userName", "targetPath": "$.userName"},
         {"constant": "%URL%", "targetPath": "$.profileUrl"},
         {"constant": "%ias.api.version%", "targetPath": "$.nickName"}]}}}
      """
    And the user:
      | attribute | value |
      | userName  | jdoe  |
    When I transform it for create
    Then the written entity has:
      | attribute  | value                 |
      | profileUrl | https://t.example.com |
      | nickName   | "1"                   |

  Scenario: Group members are resolved to the ids the target gave them; members never provisioned are left out
    Given SAP's default transformation "ias-target-v2"
    And the relations:
      | type  | source id | target id |
      | user  | S-ALICE   | T-ALICE   |
      | user  | S-BOB     | T-BOB     |
      | group | S-TEAM    | T-TEAM    |
    And the group:
      | attribute        | value     |
      | displayName      | Sales     |
      | members[0].value | S-ALICE   |
      | members[1].value | S-TEAM    |
      | members[2].value | S-UNKNOWN |
      | members[3].value | S-BOB     |
    When I transform it for create
    Then the written entity has:
      | attribute | value                                                    |
      | members   | [{"value": "T-ALICE"}, {"value": "T-BOB"}, {"value": "T-TEAM"}] |

  Scenario: A missing mandatory attribute fails the entity and names the mapping
    Given the transformation:
      """
      {"user": {"mappings": [
        {"sourcePath": "$.userName", "targetPath": "$.userName"},
        {"sourcePath": "$.name.familyName", "targetPath": "$.name.familyName"}]}}
      """
    And the user:
      | attribute | value |
      | userName  | jdoe  |
    When I transform it for create
    Then the transformation fails with "user.mappings[1]: the mandatory attribute $.name.familyName is missing in the entity"

  Scenario: An invalid transformation is refused with where and what
    Given the transformation:
      """
      {"user": {"mappings": [
        {"sourcePath": "$.userName", "targetPath": "$.userName", "scope": "updateEntity"},
        {"sourcePath": "$.dn", "targetPath": "$.x", "functions": [{"function": "getMatchedRegexGroup", "regex": "(?i)cn=(.*", "groupIndex": 1}]}]}}
      """
    And the user:
      | attribute | value |
      | userName  | jdoe  |
    When I transform it for create
    Then the command fails with exit code 2
    And the error says "line 2, column"
    And the error says "at user.mappings[0].scope: unknown scope \"updateEntity\""
    And the error says "at user.mappings[1].functions[0].regex"

  Scenario: A file of users is transformed line by line
    Given SAP's default transformation "ias-target-v2"
    And the users, one per line:
      """
      {"userName": "a", "emails": [{"value": "a@example.com"}]}
      {"userName": "b"}
      {"userName": "c", "emails": [{"value": "c@example.com"}]}
      """
    When I transform them in a batch for create
    Then the outcomes are, line by line: written, skipped, written
