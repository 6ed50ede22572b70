@ias
Feature: Many changes in one SCIM Bulk request
  The Identity Directory API takes up to 100 operations per Bulk request. IAS does not support
  failOnErrors nor references between operations by bulkId. Each operation answers on its own.

  Background:
    Given a mock landscape
    And an IAS tenant "target" with SCIM API version 2

  Scenario: Operations run in order and each answers with its own status
    Given tenant "target" holds the users:
      | userName | email           |
      | amy      | amy@example.com |
    When the technical user sends to "target" a bulk request with the operations:
      | create user ben   |
      | create user amy   |
      | delete user amy   |
      | create group Team |
    Then the answer is 200
    And the bulk operations answered "201", "409", "204", "201"
    And tenant "target" holds 1 user

  Scenario: More than 100 operations are refused
    When the technical user sends to "target" a bulk request of 101 user creations
    Then the answer is 413
    And tenant "target" holds 0 users

  Scenario: failOnErrors is not supported
    When the technical user sends to "target" a bulk request with failOnErrors
    Then the answer is 400
    And the SCIM error says "failOnErrors is not supported"

  Scenario: Operations cannot refer to each other by bulkId
    When the technical user sends to "target" a bulk request where one operation refers to another by bulkId
    Then the answer is 400
    And the SCIM error says "bulkId"
