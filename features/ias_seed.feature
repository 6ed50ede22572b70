@ias
Feature: Seeding an IAS tenant with realistic, deterministic fake users and groups
  `sapland seed ias` fills a tenant of the running mock IAS through its admin surface: users with
  fake names, a userName and a unique email, SAP status active, some with a department and a
  cost center; then groups whose members are drawn from those users. The same seed on an empty
  tenant always gives the same people. Seeding is admin traffic, not SCIM traffic.

  Scenario: Seeding users and groups into a tenant
    Given a mock landscape
    When I seed 25 users and 3 groups into tenant "target" with seed 42
    Then the seeding summary reports 25 users and 3 groups
    And tenant "target" holds 25 users
    And tenant "target" now holds 3 groups
    And tenant "source" holds 0 users
    And no secret appears in the output

  Scenario: Seeded users are active and each has an email of its own
    Given a mock landscape
    When I seed 40 users into tenant "target" with seed 7
    Then every user of tenant "target" is active and has an email of its own made of its userName
    And some users of tenant "target" have a department and a cost center

  Scenario: Group members are seeded users, and those users list their groups
    Given a mock landscape
    When I seed 20 users and 4 groups into tenant "target" with seed 3
    Then every group of tenant "target" has members from its users, and each member lists that group

  Scenario: The same seed gives the same users in a fresh landscape, another seed other users
    Given a mock landscape
    When I seed 15 users into tenant "target" with seed 2024
    And I note the userNames of tenant "target"
    Given a fresh mock landscape takes the place of the first
    When I seed 15 users into tenant "target" with seed 2024
    Then tenant "target" holds exactly the noted userNames
    Given a fresh mock landscape takes the place of the first
    When I seed 15 users into tenant "target" with seed 2025
    Then tenant "target" holds other userNames than the noted ones

  Scenario: Without a seed the mock chooses one and reports it
    Given a mock landscape
    When I seed 5 users into tenant "source" as JSON
    Then the command succeeds
    And tenant "source" holds 5 users

  Scenario: The summary as JSON for tools
    Given a mock landscape
    When I seed 5 users into tenant "source" with seed 9 as JSON
    Then the seeding JSON reports 5 users, 0 groups and seed 9

  Scenario: A request for too many users is refused and creates nothing
    Given a mock landscape
    When I seed 200001 users into tenant "target"
    Then the command fails with exit code 2
    And the error says "users: at most 200000 users can be seeded at once, got 200001"
    And tenant "target" holds 0 users

  Scenario: The seeding endpoint names a field it does not know and creates nothing
    Given a mock landscape
    When the seeding request {"users": 5, "department": "Sales"} is sent to the mock IAS for tenant "target"
    Then the answer is 400
    And the admin error says "department"
    And tenant "target" holds 0 users

  Scenario: The seeding endpoint knows only the landscape's tenants
    Given a mock landscape
    When the seeding request {"users": 5} is sent to the mock IAS for tenant "elsewhere"
    Then the answer is 404
    When I seed 5 users into tenant "elsewhere"
    Then the command fails with exit code 2
    And the error says "has no IAS tenant \"elsewhere\"; it has source, target"

  Scenario: Seeding is not SCIM traffic and does not count against throttling
    Given a mock landscape
    When I seed 60 users and 5 groups into tenant "target"
    And the technical user sends 200 requests to "target" within a minute
    Then 200 were served at once, 0 were served after a delay of 1 second and 0 were answered 429

  Scenario: Without a running landscape the command says how to start one
    Given no landscape was started in this directory
    When I seed 5 users into tenant "target"
    Then the command fails with exit code 2
    And the error says ".sapland/landscape.json"
    And the error says "sapland up"

  Scenario: A landscape that has stopped cannot be reached
    Given a mock landscape
    And the landscape has stopped, leaving a copy of its landscape.json behind
    When I seed 5 users into tenant "target"
    Then the command fails with exit code 3
    And the error says "is not reachable"
    And no secret appears in the output
