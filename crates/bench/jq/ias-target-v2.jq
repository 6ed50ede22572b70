# SAP's default IAS SCIM v2 write transformation for users
# (crates/transform/templates/ias-target-v2.json) as a jq program: the baseline of
# `sapland-bench transform` (docs/benchmarks.md).
#
# It does what `sapland transform --template ias-target-v2 --entity user --batch --operation
# create` does without an id map, line by line, and prints the same envelope with the members in
# the order our engine writes them, so `jq -c -f ias-target-v2.jq users.ndjson` and sapland's
# output compare byte for byte:
#
#   {"outcome":"written","entity":{…}}
#   {"outcome":"skipped","reason":"Entity condition [<condition>] is not fulfilled"}
#
# The engine's decisions it follows (crates/transform/src/engine.rs): a definite source path
# that matches nothing or null is missing; an optional mapping then writes nothing, one with a
# defaultValue writes the default as it is; a one-element array read from a path is unwrapped
# unless preserveArrayWithSingleElement; entityIdTargetSystem is unset on create, so no `id`;
# resolveEntityIds resolves nothing without an id map, so the manager's `value` is dropped;
# `ignore`d mappings do not run. Input it does not model, because the transformation fails for
# it and the benchmark's users never have it: a non-object element in `emails` or `addresses`,
# a scalar `addresses`, a manager `value` array holding booleans or objects without `value`.

def core_schema: "urn:ietf:params:scim:schemas:core:2.0:User";
def enterprise: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
def sap: "urn:ietf:params:scim:schemas:extension:sap:2.0:User";
def custom: "urn:sap:cloud:scim:schemas:extension:custom:2.0:User";

# The entity condition as the transformation writes it, for the skipped reason.
def condition_text:
  "($.emails EMPTY false) && ($.userName EMPTY false) && isValidEmail($.emails[0].value)";

# isValidEmail's regex as SAP documents it (EMAIL_REGEX in
# crates/transform/src/condition/functions.rs), anchored at both ends because Java's
# Matcher.matches() needs the whole string to match. Oniguruma has the atomic groups `(?>…)`.
def email_regex:
  "\\A(?:[a-zA-Z0-9!#$%&‘'*+/=?^_`{|}~-]+(?>\\.[a-zA-Z0-9!#$%&‘'*+/=?^_`{|}~-]+)*@(?>[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]?\\.)+[a-zA-Z0-9](?>[a-zA-Z0-9-]*[a-zA-Z0-9])?)\\z";

# A member of an object; null (missing) for anything else, as a path that matches nothing.
def member($key): if type == "object" then .[$key] else null end;

# `EMPTY false`: a string, array or object with something in it (missing and null are empty;
# numbers and booleans are neither empty nor non-empty).
def filled: (type == "string" or type == "array" or type == "object") and length > 0;

def valid_email: type == "string" and test(email_regex);

# isValidEmail of a value: a string, or an array whose every element is one (and at least one).
def is_valid_email:
  if type == "array" then length > 0 and all(.[]; valid_email) else valid_email end;

# `$.emails[0].value`.
def first_email:
  member("emails") | if type == "array" and length > 0 then .[0] | member("value") else null end;

def condition:
  (member("emails") | filled) and (member("userName") | filled) and (first_email | is_valid_email);

# A one-element array read from a path is unwrapped unless preserveArrayWithSingleElement.
def unwrap: if type == "array" and length == 1 then .[0] else . end;

# An optional mapping: writes $value at $path unless it is missing (null).
def optional($path; $value): if $value == null then . else setpath($path; $value) end;

# putIfAbsent(key, default): sets the key when it is missing or null.
def put_if_absent($key; $default): if .[$key] == null then .[$key] = $default else . end;

# The addresses mapping's functions on one address: putIfAbsent type "work", then putIfPresent
# type "work" where `(@.type NIN ['work', 'home'])`. Null elements pass through functions.
def work_or_home:
  if . == null then .
  else put_if_absent("type"; "work")
    | if .type == "work" or .type == "home" then . else .type = "work" end
  end;

# `$.emails[*].value`: the value of every element that has one (null included).
def email_values:
  member("emails")
  | if type == "array" or type == "object" then .[] else empty end
  | select(type == "object" and has("value"))
  | .value;

def entity:
  . as $in
  | ($in | member(sap)) as $sap_in
  | ($in | member(enterprise)) as $enterprise_in
  | ($enterprise_in | member("manager")) as $manager_in
  | {}
  | .schemas = [core_schema, enterprise, sap, custom]
  | .userName = ($in.userName | unwrap)
  | setpath([sap, "emails"]; $in.emails | map(put_if_absent("verified"; true)))
  | setpath([sap, "emails"]; getpath([sap, "emails"]) | map(del(.type)))
  | .emails = [$in | email_values | select(. != null) | {value: .}]
  | optional(["name", "givenName"]; $in | member("name") | member("givenName") | unwrap)
  | optional(["name", "middleName"]; $in | member("name") | member("middleName") | unwrap)
  | optional(["name", "familyName"]; $in | member("name") | member("familyName") | unwrap)
  | optional(["name", "honorificPrefix"];
      $in | member("name") | member("honorificPrefix") | unwrap)
  | .addresses = ($in | member("addresses")
      | if . == null then [] elif type == "array" then map(work_or_home) else work_or_home end)
  | optional(["phoneNumbers"]; $in | member("phoneNumbers"))
  | optional(["displayName"]; $in | member("displayName") | unwrap)
  | .userType = ($in | member("userType") | if . == null then "employee" else unwrap end)
  | optional(["locale"]; $in | member("locale") | unwrap)
  | optional(["timezone"]; $in | member("timezone") | unwrap)
  | .active = ($in | member("active") | if . == null then true else unwrap end)
  | optional([sap, "validFrom"]; $sap_in | member("validFrom") | unwrap)
  | optional([sap, "validTo"]; $sap_in | member("validTo") | unwrap)
  | optional([enterprise, "employeeNumber"]; $enterprise_in | member("employeeNumber") | unwrap)
  | optional([enterprise, "costCenter"]; $enterprise_in | member("costCenter") | unwrap)
  | optional([enterprise, "organization"]; $enterprise_in | member("organization") | unwrap)
  | optional([enterprise, "division"]; $enterprise_in | member("division") | unwrap)
  | optional([enterprise, "department"]; $enterprise_in | member("department") | unwrap)
  # resolveEntityIds without an id map: a single id gives no value (the optional mapping writes
  # nothing); an array keeps none of its ids.
  | optional([enterprise, "manager", "value"];
      $manager_in | member("value") | if type == "array" then [] else null end)
  | optional([enterprise, "manager", "displayName"];
      $manager_in | member("displayName") | unwrap)
  | setpath([sap, "sendMail"]; false)
  | setpath([sap, "mailVerified"]; true)
  | setpath([sap, "passwordDetails", "status"]; "disabled")
  | optional([custom, "attributes"]; $in | member(custom) | member("attributes"));

if condition then
  {outcome: "written", entity: entity}
else
  {outcome: "skipped", reason: ("Entity condition [" + condition_text + "] is not fulfilled")}
end
