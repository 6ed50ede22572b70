//! The mapping functions (`reference/ips-ias.md` §1.8, §1.12, §1.13): every function with
//! SAP's documented examples, the common parameters (`condition`, `applyOnElements`,
//! `applyOnAttribute`, `assignToAttribute`), the errors a person sees, `randomPassword`'s
//! determinism and constraints, and a run of generated hostile input that must never panic.

use std::collections::{BTreeMap, HashMap};

use sapland_transform::document::{Function, NamedBy};
use sapland_transform::functions::{
    CompiledFunction, Env, FunctionError, IdRequest, IdResolver, Random,
};
use serde_json::{Map, Value, json};

/// A function from its JSON as written in a transformation (`"function"` or `"type"` names it).
fn function(spec: Value) -> Function {
    let Value::Object(mut parameters) = spec else {
        panic!("a function is an object");
    };
    let (name, named_by) = match parameters.remove("function") {
        Some(Value::String(name)) => (name, NamedBy::Function),
        _ => match parameters.remove("type") {
            Some(Value::String(name)) => (name, NamedBy::Type),
            _ => panic!("no function name"),
        },
    };
    Function {
        name,
        named_by,
        parameters,
        member_order: Vec::new(),
    }
}

fn compile(spec: Value) -> CompiledFunction {
    let f = function(spec);
    CompiledFunction::compile(&f).unwrap_or_else(|err| panic!("{}: {err}", f.name))
}

fn compile_err(spec: Value) -> FunctionError {
    CompiledFunction::compile(&function(spec)).expect_err("compile should fail")
}

/// Source id → target id, per entity type.
#[derive(Default)]
struct Ids {
    known: HashMap<(String, String), String>,
    seen: std::cell::RefCell<Vec<String>>,
}

impl Ids {
    fn with(pairs: &[(&str, &str, &str)]) -> Self {
        Ids {
            known: pairs
                .iter()
                .map(|(kind, source, target)| {
                    ((kind.to_string(), source.to_string()), target.to_string())
                })
                .collect(),
            seen: Default::default(),
        }
    }
}

impl IdResolver for Ids {
    fn resolve(&self, request: &IdRequest<'_>) -> Option<String> {
        self.seen.borrow_mut().push(format!(
            "{}:{}:{}:{}",
            request.entity_type,
            request.source_id,
            request.source_system.unwrap_or("-"),
            request.target_system.unwrap_or("-")
        ));
        self.known
            .get(&(
                request.entity_type.to_string(),
                request.source_id.to_string(),
            ))
            .cloned()
    }
}

/// Applies a function with an empty entity, no properties, no ids and seed 1.
fn apply(spec: Value, value: Value) -> Option<Value> {
    try_apply(spec, value).unwrap_or_else(|err| panic!("{err}"))
}

fn try_apply(spec: Value, value: Value) -> Result<Option<Value>, FunctionError> {
    let document = json!({});
    let mut random = Random::new(1);
    let mut env = Env {
        document: &document,
        properties: &(),
        ids: &(),
        random: &mut random,
    };
    compile(spec).apply(value, &mut env)
}

fn apply_err(spec: Value, value: Value) -> FunctionError {
    try_apply(spec, value).expect_err("apply should fail")
}

/// Applies a function with an entity, properties and ids.
fn apply_with(
    spec: Value,
    value: Value,
    document: &Value,
    properties: &BTreeMap<String, String>,
    ids: &dyn IdResolver,
) -> Option<Value> {
    let mut random = Random::new(1);
    let mut env = Env {
        document,
        properties,
        ids,
        random: &mut random,
    };
    compile(spec)
        .apply(value, &mut env)
        .unwrap_or_else(|err| panic!("{err}"))
}

fn text(value: &str) -> Value {
    Value::String(value.to_string())
}

// ---------------------------------------------------------------------------------------------
// concatString

#[test]
fn concat_string_documented_prefix_and_integer_suffix() {
    // ips-ias.md §1.8 concatString: "ips_" + "johnsmith" + 123 → "ips_johnsmith123".
    let f = json!({"function": "concatString", "prefix": "ips_", "suffix": 123});
    assert_eq!(apply(f, text("johnsmith")), Some(text("ips_johnsmith123")));
}

#[test]
fn concat_string_documented_domain_suffix_and_boolean_suffix() {
    // ips-ias.md §1.8 concatString: "suffix": "@%aad.domain.name%" after substitution.
    let f = json!({"function": "concatString", "suffix": "@mail.acme.com"});
    assert_eq!(
        apply(f, text("johnsmith123")),
        Some(text("johnsmith123@mail.acme.com"))
    );
    let f = json!({"function": "concatString", "suffix": true});
    assert_eq!(apply(f, json!(42)), Some(text("42true")));
}

// ---------------------------------------------------------------------------------------------
// convertCountryCode / convertCountryRegion

fn country_code(format: &str) -> Value {
    json!({"type": "convertCountryCode", "outputFormat": format,
           "inputAttributes": ["country"], "outputAttribute": "country"})
}

#[test]
fn convert_country_code_documented_united_states() {
    // ips-ias.md §1.8 convertCountryCode: "United States" → US / USA / 840 / United States.
    let addresses = json!([{"country": "United States", "type": "work"}]);
    for (format, expected) in [
        ("alpha2", "US"),
        ("alpha3", "USA"),
        ("numeric", "840"),
        ("fullName", "United States"),
    ] {
        assert_eq!(
            apply(country_code(format), addresses.clone()),
            Some(json!([{"country": expected, "type": "work"}])),
            "{format}"
        );
    }
}

#[test]
fn convert_country_code_reads_every_form_and_leaves_unknown_values() {
    for input in [
        json!("US"),
        json!("usa"),
        json!("840"),
        json!(840),
        json!("united states"),
    ] {
        assert_eq!(
            apply(country_code("alpha3"), json!({"country": input})),
            Some(json!({"country": "USA"})),
            "{input}"
        );
    }
    assert_eq!(
        apply(country_code("numeric"), json!({"country": "AT"})),
        Some(json!({"country": "040"}))
    );
    assert_eq!(
        apply(country_code("alpha2"), json!({"country": "Atlantis"})),
        Some(json!({"country": "Atlantis"}))
    );
    assert_eq!(
        apply(country_code("alpha2"), json!({"city": "Paris"})),
        Some(json!({"city": "Paris"}))
    );
    // A plain value (not an address) is converted directly.
    assert_eq!(
        apply(country_code("fullName"), text("DEU")),
        Some(text("Germany"))
    );
}

#[test]
fn convert_country_code_from_issuing_country() {
    // ips-ias.md §1.8 convertCountryCode: inputAttributes may name issuingCountry.
    let f = json!({"function": "convertCountryCode", "outputFormat": "alpha2",
                   "inputAttributes": "issuingCountry", "outputAttribute": "country"});
    assert_eq!(
        apply(f, json!({"issuingCountry": "FRA"})),
        Some(json!({"issuingCountry": "FRA", "country": "FR"}))
    );
}

#[test]
fn convert_country_code_rejects_undocumented_formats() {
    let err = compile_err(
        json!({"function": "convertCountryCode", "outputFormat": "iso",
                                 "inputAttributes": ["country"], "outputAttribute": "country"}),
    );
    assert_eq!(err.parameter.as_deref(), Some("outputFormat"));
    assert!(
        err.message.contains("fullName, alpha2, alpha3, numeric"),
        "{err}"
    );
}

fn country_region(format: &str) -> Value {
    json!({"type": "convertCountryRegion", "outputFormat": format,
           "inputAttributes": ["region", "country"], "outputAttribute": "region"})
}

#[test]
fn convert_country_region_documented_alabama() {
    // ips-ias.md §1.8 convertCountryRegion: "US-AL" or "AL" → "US-AL" (alpha2) / "Alabama".
    for region in ["US-AL", "AL", "al"] {
        let address = json!({"region": region, "country": "US"});
        assert_eq!(
            apply(country_region("alpha2"), address.clone()),
            Some(json!({"region": "US-AL", "country": "US"}))
        );
        assert_eq!(
            apply(country_region("fullName"), address),
            Some(json!({"region": "Alabama", "country": "US"}))
        );
    }
}

#[test]
fn convert_country_region_for_the_countries_sap_users_need() {
    let cases = [
        ("CA", "ON", "CA-ON", "Ontario"),
        ("DE", "BY", "DE-BY", "Bayern"),
        ("Australia", "NSW", "AU-NSW", "New South Wales"),
        ("IND", "KA", "IN-KA", "Karnātaka"),
        ("BR", "SP", "BR-SP", "São Paulo"),
        ("CN", "BJ", "CN-BJ", "Beijing Shi"),
        ("MX", "JAL", "MX-JAL", "Jalisco"),
        ("GB", "ENG", "GB-ENG", "England"),
        ("US", "Texas", "US-TX", "Texas"),
    ];
    for (country, region, code, name) in cases {
        let address = json!({"region": region, "country": country});
        assert_eq!(
            apply(country_region("alpha2"), address.clone()).and_then(|a| a.get("region").cloned()),
            Some(text(code)),
            "{country} {region}"
        );
        assert_eq!(
            apply(country_region("fullName"), address).and_then(|a| a.get("region").cloned()),
            Some(text(name)),
            "{country} {region}"
        );
    }
    // Unknown regions stay as they are; a full code needs no country.
    assert_eq!(
        apply(
            country_region("alpha2"),
            json!({"region": "XX", "country": "US"})
        ),
        Some(json!({"region": "XX", "country": "US"}))
    );
    assert_eq!(
        apply(country_region("fullName"), text("US-CA")),
        Some(text("California"))
    );
}

#[test]
fn convert_country_region_on_addresses_with_the_documented_mapping_condition() {
    // ips-ias.md §1.8 convertCountryRegion, applied to $.addresses.
    let addresses = json!([
        {"region": "AL", "country": "US", "type": "work"},
        {"region": "Bavaria", "country": "DE", "type": "home"}
    ]);
    assert_eq!(
        apply(country_region("alpha2"), addresses),
        Some(json!([
            {"region": "US-AL", "country": "US", "type": "work"},
            {"region": "Bavaria", "country": "DE", "type": "home"}
        ]))
    );
}

// ---------------------------------------------------------------------------------------------
// convertLocaleCode / convertTimezoneCode

fn locale(format: &str) -> Value {
    json!({"type": "convertLocaleCode", "outputFormat": format})
}

#[test]
fn convert_locale_code_documented_ias_and_bcp47() {
    // ips-ias.md §1.8 convertLocaleCode: IAS EN/DE ↔ en-US/de-DE.
    assert_eq!(apply(locale("bcp47"), text("EN")), Some(text("en-US")));
    assert_eq!(apply(locale("bcp47"), text("DE")), Some(text("de-DE")));
    assert_eq!(apply(locale("iso639"), text("en-US")), Some(text("EN")));
    assert_eq!(apply(locale("iso639"), text("de-DE")), Some(text("DE")));
    assert_eq!(apply(locale("iso639"), text("de_AT")), Some(text("DE")));
}

#[test]
fn convert_locale_code_unmapped_languages_become_english() {
    // ips-ias.md §1.8 convertLocaleCode: EO, IA, IO … → English.
    for code in ["EO", "IA", "IO", "IE", "xx", ""] {
        assert_eq!(
            apply(locale("bcp47"), text(code)),
            Some(text("en-US")),
            "{code}"
        );
        assert_eq!(
            apply(locale("iso639"), text(code)),
            Some(text("EN")),
            "{code}"
        );
    }
}

#[test]
fn convert_locale_code_regional_and_irregular_ias_codes() {
    assert_eq!(apply(locale("bcp47"), text("zh_TW")), Some(text("zh-TW")));
    assert_eq!(apply(locale("iso639"), text("zh-TW")), Some(text("zh_TW")));
    assert_eq!(
        apply(locale("iso639"), text("zh-Hant-TW")),
        Some(text("zh_TW"))
    );
    assert_eq!(apply(locale("iso639"), text("zh-CN")), Some(text("ZH")));
    assert_eq!(apply(locale("iso639"), text("pt-BR")), Some(text("pt_BR")));
    assert_eq!(apply(locale("bcp47"), text("pt")), Some(text("pt-PT")));
    assert_eq!(apply(locale("bcp47"), text("en_GB")), Some(text("en-GB")));
    // IAS writes Thai as GH.
    assert_eq!(apply(locale("bcp47"), text("GH")), Some(text("th-TH")));
    assert_eq!(apply(locale("iso639"), text("th-TH")), Some(text("GH")));
    assert_eq!(apply(locale("iso639"), text("nb-NO")), Some(text("NO")));
}

fn timezone(format: &str) -> Value {
    json!({"type": "convertTimezoneCode", "outputFormat": format})
}

#[test]
fn convert_timezone_code_documented_examples() {
    // ips-ias.md §1.8 convertTimezoneCode: America/Phoenix → MSTNO; AST → America/Halifax.
    assert_eq!(
        apply(timezone("sap"), text("America/Phoenix")),
        Some(text("MSTNO"))
    );
    assert_eq!(
        apply(timezone("iana"), text("AST")),
        Some(text("America/Halifax"))
    );
}

#[test]
fn convert_timezone_code_defaults_when_not_found() {
    // ips-ias.md §1.8 convertTimezoneCode: not found → Europe/Berlin (iana) / CET (sap).
    assert_eq!(
        apply(timezone("iana"), text("Mars/Olympus")),
        Some(text("Europe/Berlin"))
    );
    assert_eq!(
        apply(timezone("sap"), text("Mars/Olympus")),
        Some(text("CET"))
    );
    assert_eq!(
        apply(timezone("iana"), Value::Null),
        Some(text("Europe/Berlin"))
    );
    assert_eq!(apply(timezone("sap"), Value::Null), Some(text("CET")));
}

#[test]
fn convert_timezone_code_iana_uses_the_first_zone_of_a_code() {
    // ips-ias.md §1.8 convertTimezoneCode: iana picks the FIRST matching entry.
    assert_eq!(
        apply(timezone("iana"), text("CET")),
        Some(text("Europe/Berlin"))
    );
    assert_eq!(
        apply(timezone("iana"), text("Europe/Paris")),
        Some(text("Europe/Berlin"))
    );
    assert_eq!(
        apply(timezone("iana"), text("America/Glace_Bay")),
        Some(text("America/Halifax"))
    );
    assert_eq!(
        apply(timezone("sap"), text("Europe/Paris")),
        Some(text("CET"))
    );
    assert_eq!(apply(timezone("sap"), text("cet")), Some(text("CET")));
    assert_eq!(
        apply(timezone("sap"), text("Asia/Kolkata")),
        Some(text("INDIA"))
    );
    assert_eq!(
        apply(timezone("iana"), text("UTC-5")),
        Some(text("Etc/GMT+5"))
    );
}

// ---------------------------------------------------------------------------------------------
// compositeId

#[test]
fn composite_id_documented_example() {
    // ips-ias.md §1.8 compositeId: "johnsmith" → "johnsmith:e0123456" (and "-" as separator).
    let f = json!({"function": "compositeId", "separator": ":", "subId": "e0123456"});
    assert_eq!(
        apply(f, text("johnsmith")),
        Some(text("johnsmith:e0123456"))
    );
    let f = json!({"function": "compositeId", "separator": "-", "subId": "e0123456"});
    assert_eq!(
        apply(f, text("johnsmith")),
        Some(text("johnsmith-e0123456"))
    );
}

#[test]
fn composite_id_reads_a_json_path_sub_id_from_the_entity() {
    // ips-ias.md §1.8 compositeId: subId is a String or a JSONPath expression.
    let document = json!({"qualifierId": "johnsmith", "personnel": {"number": "e0123456"}});
    let f = json!({"function": "compositeId", "separator": ":", "subId": "$.personnel.number"});
    assert_eq!(
        apply_with(f, text("johnsmith"), &document, &BTreeMap::new(), &()),
        Some(text("johnsmith:e0123456"))
    );
    let err = apply_err(
        json!({"function": "compositeId", "separator": ":", "subId": "$.missing"}),
        text("johnsmith"),
    );
    assert_eq!(err.parameter.as_deref(), Some("subId"));
    assert!(err.message.contains("matches nothing"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// copyMapEntry / renameMapEntry / putIfAbsent / putIfPresent

#[test]
fn copy_map_entry_documented_roles() {
    // ips-ias.md §1.8 copyMapEntry: [{"roleName":"ROLE1"}] → [{"roleName":"ROLE1","value":"ROLE1"}].
    let f = json!({"function": "copyMapEntry", "sourceKey": "roleName", "targetKey": "value"});
    assert_eq!(
        apply(f, json!([{"roleName": "ROLE1"}, {"roleName": "ROLE2"}])),
        Some(
            json!([{"roleName": "ROLE1", "value": "ROLE1"}, {"roleName": "ROLE2", "value": "ROLE2"}])
        )
    );
}

#[test]
fn rename_map_entry_documented_roles() {
    // ips-ias.md §1.8 renameMapEntry: [{"roleName":"ROLE1"}] → [{"value":"ROLE1"}].
    let f = json!({"function": "renameMapEntry", "sourceKey": "roleName", "targetKey": "value"});
    assert_eq!(
        apply(
            f.clone(),
            json!([{"roleName": "ROLE1"}, {"roleName": "ROLE2"}])
        ),
        Some(json!([{"value": "ROLE1"}, {"value": "ROLE2"}]))
    );
    // Other members keep their order; a map without the key is unchanged.
    let renamed = apply(f.clone(), json!({"a": 1, "roleName": "R", "z": 2})).unwrap();
    let keys: Vec<&String> = renamed.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["a", "z", "value"]);
    assert_eq!(apply(f, json!({"other": 1})), Some(json!({"other": 1})));
}

#[test]
fn put_if_absent_documented_ias_defaults() {
    // ips-ias.md §1.12: IAS v2 write — addresses get type "work", sap-extension e-mails verified.
    let f = json!({"function": "putIfAbsent", "key": "type", "defaultValue": "work"});
    assert_eq!(
        apply(f, json!([{"street": "1"}, {"street": "2", "type": "home"}])),
        Some(json!([{"street": "1", "type": "work"}, {"street": "2", "type": "home"}]))
    );
    let f = json!({"function": "putIfAbsent", "key": "verified", "defaultValue": true});
    assert_eq!(
        apply(
            f,
            json!([{"value": "a@x.com", "verified": false}, {"value": "b@x.com"}])
        ),
        Some(
            json!([{"value": "a@x.com", "verified": false}, {"value": "b@x.com", "verified": true}])
        )
    );
}

#[test]
fn put_if_present_with_the_documented_per_element_condition() {
    // ips-ias.md §1.12 / §1.8 putIfPresent: {"condition": "(@.type NIN ['work', 'home'])",
    // "function": "putIfPresent", "key": "type", "defaultValue": "work"} on $.addresses.
    let f = json!({"condition": "(@.type NIN ['work', 'home'])", "function": "putIfPresent",
                   "key": "type", "defaultValue": "work"});
    assert_eq!(
        apply(
            f,
            json!([{"type": "home"}, {"type": "other"}, {"type": "work"}, {"street": "x"}])
        ),
        Some(json!([{"type": "home"}, {"type": "work"}, {"type": "work"}, {"street": "x"}]))
    );
}

#[test]
fn ias_default_address_chain() {
    // ips-ias.md §1.12: putIfAbsent then putIfPresent, as the IAS v2 default write does.
    let first = json!({"function": "putIfAbsent", "key": "type", "defaultValue": "work"});
    let second = json!({"condition": "(@.type NIN ['work', 'home'])", "function": "putIfPresent",
                        "key": "type", "defaultValue": "work"});
    let addresses = json!([{"street": "a"}, {"type": "other"}, {"type": "home"}]);
    let step = apply(first, addresses).unwrap();
    assert_eq!(
        apply(second, step),
        Some(json!([{"street": "a", "type": "work"}, {"type": "work"}, {"type": "home"}]))
    );
}

#[test]
fn map_functions_reject_text() {
    let err = apply_err(
        json!({"function": "putIfAbsent", "key": "type", "defaultValue": "work"}),
        text("Main Street"),
    );
    assert_eq!(
        err.to_string(),
        "putIfAbsent: expects an object or an array of objects, got a string"
    );
}

// ---------------------------------------------------------------------------------------------
// encode / decode / toString

#[test]
fn encode_documented_base32_example() {
    // ips-ias.md §1.8 encode: "JOHN*SMITH/Junior" base32 → "JJHUQTRKKNGUSVCIF5FHK3TJN5ZA====".
    let f = json!({"function": "encode", "algorithm": "base32"});
    assert_eq!(
        apply(f, text("JOHN*SMITH/Junior")),
        Some(text("JJHUQTRKKNGUSVCIF5FHK3TJN5ZA===="))
    );
    let f = json!({"function": "encode", "algorithm": "base32", "skipPadding": true});
    assert_eq!(
        apply(f, text("JOHN*SMITH/Junior")),
        Some(text("JJHUQTRKKNGUSVCIF5FHK3TJN5ZA"))
    );
    let f = json!({"function": "encode", "algorithm": "base64"});
    assert_eq!(
        apply(f, text("JOHN*SMITH/Junior")),
        Some(text("Sk9ITipTTUlUSC9KdW5pb3I="))
    );
}

#[test]
fn decode_then_to_string_documented_chain() {
    // ips-ias.md §1.8 decode → byte array → toString: the id back to "JOHN*SMITH/Junior".
    let decode = json!({"function": "decode", "algorithm": "base32", "skipPadding": true});
    for id in [
        "JJHUQTRKKNGUSVCIF5FHK3TJN5ZA====",
        "JJHUQTRKKNGUSVCIF5FHK3TJN5ZA",
    ] {
        let bytes = apply(decode.clone(), text(id)).unwrap();
        assert_eq!(bytes.as_array().map(Vec::len), Some(17));
        assert_eq!(bytes[0], json!(74));
        assert_eq!(
            apply(json!({"function": "toString"}), bytes),
            Some(text("JOHN*SMITH/Junior"))
        );
    }
    let bytes = apply(
        json!({"function": "decode", "algorithm": "base64"}),
        text("Sk9ITipTTUlUSC9KdW5pb3I"),
    )
    .unwrap();
    assert_eq!(
        apply(json!({"function": "toString"}), bytes),
        Some(text("JOHN*SMITH/Junior"))
    );
}

#[test]
fn decode_a_member_list_then_to_string_on_elements() {
    // ips-ias.md §1.8 / transformation expressions, applyOnElements: the AS ABAP write decodes
    // $.members[*].value (a list) and applies toString with applyOnElements.
    let decode = json!({"function": "decode", "algorithm": "base32", "skipPadding": true});
    let members = json!(["JJHUQTRKKNGUSVCIF5FHK3TJN5ZA", "IFBEG"]);
    let decoded = apply(decode, members).unwrap();
    assert_eq!(
        apply(
            json!({"function": "toString", "applyOnElements": true}),
            decoded
        ),
        Some(json!(["JOHN*SMITH/Junior", "ABC"]))
    );
}

#[test]
fn codec_errors() {
    let err = apply_err(
        json!({"function": "decode", "algorithm": "base32"}),
        text("AB1C"),
    );
    assert!(err.message.contains("not valid base32"), "{err}");
    let err = apply_err(
        json!({"function": "decode", "algorithm": "base64"}),
        text("!!!"),
    );
    assert!(err.message.contains("not valid base64"), "{err}");
    let err = compile_err(json!({"function": "encode", "algorithm": "rot13"}));
    assert_eq!(
        err.to_string(),
        "encode (algorithm): unknown algorithm \"rot13\"; expected one of base32, base64"
    );
    let err = compile_err(json!({"function": "encode"}));
    assert_eq!(err.to_string(), "encode (algorithm): algorithm is required");
}

#[test]
fn to_string_of_scalars() {
    // ips-ias.md §1.8 toString: other values → their text.
    let f = json!({"function": "toString"});
    assert_eq!(apply(f.clone(), json!(123)), Some(text("123")));
    assert_eq!(apply(f.clone(), json!(false)), Some(text("false")));
    assert_eq!(apply(f.clone(), text("x")), Some(text("x")));
    assert_eq!(apply(f.clone(), json!([])), Some(text("")));
    let err = apply_err(f, json!(["a", "b"]));
    assert!(err.message.contains("applyOnElements"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// elementAt

#[test]
fn element_at_documented_first_primary_email() {
    // ips-ias.md §1.8 elementAt: $.emails[?(@.primary == true)].value + elementAt 0.
    let f = json!({"function": "elementAt", "index": 0});
    assert_eq!(
        apply(f.clone(), json!(["a@x.com", "b@x.com"])),
        Some(text("a@x.com"))
    );
    assert_eq!(
        apply(f.clone(), text("only@x.com")),
        Some(text("only@x.com"))
    );
    assert_eq!(apply(f, json!([])), None);
    assert_eq!(
        apply(
            json!({"function": "elementAt", "index": "1"}),
            json!([1, 2])
        ),
        Some(json!(2))
    );
    assert_eq!(
        apply(json!({"function": "elementAt", "index": 5}), json!([1, 2])),
        None
    );
    let err = compile_err(json!({"function": "elementAt", "index": -1}));
    assert_eq!(
        err.to_string(),
        "elementAt (index): index -1 must not be negative"
    );
    let err = compile_err(json!({"function": "elementAt"}));
    assert_eq!(err.to_string(), "elementAt (index): index is required");
}

// ---------------------------------------------------------------------------------------------
// getMatchedRegexGroup / matchRegex

#[test]
fn get_matched_regex_group_documented_nested_path() {
    // ips-ias.md §1.8 getMatchedRegexGroup: "CN=test10,OU=subUsers,OU=testUsers" with
    // (?i)cn=.*?,(.*?),OU=testUsers, group 1 → "OU=subUsers".
    let f = json!({"function": "getMatchedRegexGroup",
                   "regex": "(?i)cn=.*?,(.*?),OU=testUsers", "groupIndex": 1});
    assert_eq!(
        apply(f, text("CN=test10,OU=subUsers,OU=testUsers")),
        Some(text("OU=subUsers"))
    );
}

#[test]
fn get_matched_regex_group_searches_and_group_zero_is_the_match() {
    let f = json!({"function": "getMatchedRegexGroup", "regex": "\\d+", "groupIndex": 0});
    assert_eq!(apply(f.clone(), text("user 1234 here")), Some(text("1234")));
    assert_eq!(apply(f, text("no digits")), None);
    let f = json!({"function": "getMatchedRegexGroup", "regex": "(a)|(b)", "groupIndex": 2});
    assert_eq!(apply(f, text("a")), None);
    let err =
        compile_err(json!({"function": "getMatchedRegexGroup", "regex": "(a)", "groupIndex": 2}));
    assert_eq!(
        err.to_string(),
        "getMatchedRegexGroup (groupIndex): groupIndex 2 does not exist: the regex has 1 group (0 is the whole match)"
    );
}

#[test]
fn match_regex_documented_composite_privileges() {
    // ips-ias.md §1.8 matchRegex with applyOnAttribute/assignToAttribute → "composite": true.
    let f = json!({"function": "matchRegex", "regex": ".*_COMP",
                   "applyOnAttribute": "COMPOSITE_PRIVILEGE", "assignToAttribute": "composite"});
    let privileges =
        json!([{"COMPOSITE_PRIVILEGE": "SAP_01_COMP"}, {"COMPOSITE_PRIVILEGE": "SAP_02"}]);
    assert_eq!(
        apply(f, privileges),
        Some(json!([
            {"COMPOSITE_PRIVILEGE": "SAP_01_COMP", "composite": true},
            {"COMPOSITE_PRIVILEGE": "SAP_02", "composite": false}
        ]))
    );
}

#[test]
fn match_regex_matches_the_whole_text() {
    let f = json!({"function": "matchRegex", "regex": "abc"});
    assert_eq!(apply(f.clone(), text("abc")), Some(json!(true)));
    assert_eq!(apply(f, text("xabcx")), Some(json!(false)));
    let err = compile_err(json!({"function": "matchRegex", "regex": "(unclosed"}));
    assert_eq!(err.parameter.as_deref(), Some("regex"));
    assert!(
        err.message.starts_with("invalid regex \"(unclosed\""),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// manipulateDate

#[test]
fn manipulate_date_documented_reformat() {
    // ips-ias.md §1.8 manipulateDate: "2018-02-28 11:00:00.000" → "02/28/2018".
    let f = json!({"function": "manipulateDate", "sourceDateFormat": "yyyy-MM-dd HH:mm:ss.SSS",
                   "targetDateFormat": "MM/dd/yyyy"});
    assert_eq!(
        apply(f, text("2018-02-28 11:00:00.000")),
        Some(text("02/28/2018"))
    );
}

#[test]
fn manipulate_date_documented_shifts_as_strings() {
    // ips-ias.md §1.8 manipulateDate: "days": "3", "hours": "+2".
    let f = json!({"function": "manipulateDate", "sourceDateFormat": "yyyy-MM-dd HH:mm:ss.SSS",
                   "targetDateFormat": "yyyy-MM-dd HH:mm", "days": "3", "hours": "+2"});
    assert_eq!(
        apply(f, text("2018-02-28 11:00:00.000")),
        Some(text("2018-03-03 13:00"))
    );
    let f = json!({"function": "manipulateDate", "targetDateFormat": "yyyy-MM-dd",
                   "years": -1, "months": "1", "minutes": 0});
    assert_eq!(
        apply(f, text("2024-01-31 00:00:00.000")),
        Some(text("2023-02-28"))
    );
    let f = json!({"function": "manipulateDate", "seconds": -1});
    assert_eq!(
        apply(f, text("2024-01-01 00:00:00.000")),
        Some(text("2023-12-31 23:59:59.000"))
    );
}

#[test]
fn manipulate_date_documented_successfactors_milliseconds() {
    // ips-ias.md §1.8 manipulateDate: "Date(milliseconds)" parses /Date(1519809649123-0240)/;
    // the offset is ignored in the computation.
    let f = json!({"function": "manipulateDate", "sourceDateFormat": "Date(milliseconds)",
                   "targetDateFormat": "yyyy-MM-dd HH:mm:ss.SSS"});
    for value in [
        text("/Date(1519809649123-0240)/"),
        text("/Date(1519809649123+0100)/"),
        text("Date(1519809649123)"),
        json!(1519809649123_i64),
    ] {
        assert_eq!(
            apply(f.clone(), value),
            Some(text("2018-02-28 09:20:49.123"))
        );
    }
    let f = json!({"function": "manipulateDate", "sourceDateFormat": "Date(milliseconds)",
                   "targetDateFormat": "yyyy-MM-dd'T'HH:mm:ssXXX", "days": 1});
    assert_eq!(
        apply(f, text("/Date(0)/")),
        Some(text("1970-01-02T00:00:00Z"))
    );
}

#[test]
fn manipulate_date_errors_say_what_to_fix() {
    let f = json!({"function": "manipulateDate", "sourceDateFormat": "yyyy-MM-dd",
                   "targetDateFormat": "dd.MM.yyyy"});
    let err = apply_err(f, text("28.02.2018"));
    assert!(
        err.message.starts_with(
            "the date does not match sourceDateFormat \"yyyy-MM-dd\": at character 0: expected a year (4 to 9 digits), found \"28.\""
        ),
        "{err}"
    );
    let err = compile_err(json!({"function": "manipulateDate", "targetDateFormat": "YYYY"}));
    assert_eq!(err.parameter.as_deref(), Some("targetDateFormat"));
    let err = compile_err(json!({"function": "manipulateDate", "days": "three"}));
    assert_eq!(
        err.to_string(),
        "manipulateDate (days): days must be an integer (such as 3, \"+2\" or \"-1\"), found the string \"three\""
    );
    let err = apply_err(
        json!({"function": "manipulateDate", "sourceDateFormat": "Date(milliseconds)"}),
        text("yesterday"),
    );
    assert!(err.message.contains("milliseconds"), "{err}");
    let err = apply_err(
        json!({"function": "manipulateDate", "years": 100000}),
        text("2024-01-01 00:00:00.000"),
    );
    assert_eq!(err.parameter.as_deref(), Some("years"));
}

// ---------------------------------------------------------------------------------------------
// randomPassword

fn password_spec() -> Value {
    // ips-ias.md §1.8 randomPassword: the documented example.
    json!({"function": "randomPassword", "passwordLength": 16,
           "minimumNumberOfLowercaseLetters": 4, "minimumNumberOfUppercaseLetters": 4,
           "minimumNumberOfDigits": 4, "minimumNumberOfSpecialSymbols": 4,
           "specialSymbols": ",.<>/?~`!@#"})
}

fn password(spec: &Value, seed: u64) -> String {
    let document = json!({});
    let mut random = Random::new(seed);
    let mut env = Env {
        document: &document,
        properties: &(),
        ids: &(),
        random: &mut random,
    };
    match compile(spec.clone()).apply(Value::Null, &mut env) {
        Ok(Some(Value::String(password))) => password,
        other => panic!("{other:?}"),
    }
}

#[test]
fn random_password_meets_the_documented_constraints() {
    let spec = password_spec();
    for seed in 0..200 {
        let p = password(&spec, seed);
        assert_eq!(p.chars().count(), 16);
        let lower = p.chars().filter(char::is_ascii_lowercase).count();
        let upper = p.chars().filter(char::is_ascii_uppercase).count();
        let digits = p.chars().filter(char::is_ascii_digit).count();
        let special = p.chars().filter(|c| ",.<>/?~`!@#".contains(*c)).count();
        assert!(
            lower >= 4 && upper >= 4 && digits >= 4 && special >= 4,
            "{p}"
        );
        assert_eq!(lower + upper + digits + special, 16, "{p}");
    }
}

#[test]
fn random_password_is_deterministic_per_seed_and_shuffled() {
    let spec = password_spec();
    assert_eq!(password(&spec, 7), password(&spec, 7));
    assert_ne!(password(&spec, 7), password(&spec, 8));
    // The required lowercase letters are not always first.
    let firsts: std::collections::HashSet<bool> = (0..50)
        .map(|seed| password(&spec, seed).starts_with(|c: char| c.is_ascii_lowercase()))
        .collect();
    assert_eq!(firsts.len(), 2);
}

#[test]
fn random_password_default_symbols_and_unused_sets() {
    // ips-ias.md §1.8 randomPassword: default specialSymbols ~!@#$%^&*()_+; a minimum of 0 means
    // no character of that set.
    let spec = json!({"function": "randomPassword", "passwordLength": 12,
                      "minimumNumberOfLowercaseLetters": 2, "minimumNumberOfUppercaseLetters": 0,
                      "minimumNumberOfDigits": 0, "minimumNumberOfSpecialSymbols": 2});
    for seed in 0..50 {
        let p = password(&spec, seed);
        assert_eq!(p.len(), 12);
        assert!(
            p.chars()
                .all(|c| c.is_ascii_lowercase() || "~!@#$%^&*()_+".contains(c)),
            "{p}"
        );
        assert!(
            p.chars().filter(|c| "~!@#$%^&*()_+".contains(*c)).count() >= 2,
            "{p}"
        );
    }
}

#[test]
fn random_password_errors() {
    // ips-ias.md §1.8 randomPassword: sum of minima > length → error; custom specialSymbols
    // require minimumNumberOfSpecialSymbols ≠ 0.
    let mut spec = password_spec();
    spec["passwordLength"] = json!(15);
    let err = compile_err(spec);
    assert_eq!(err.parameter.as_deref(), Some("passwordLength"));
    assert!(
        err.message
            .contains("add up to more than passwordLength 15"),
        "{err}"
    );
    let mut spec = password_spec();
    spec["minimumNumberOfSpecialSymbols"] = json!(0);
    let err = compile_err(spec);
    assert_eq!(
        err.to_string(),
        "randomPassword (minimumNumberOfSpecialSymbols): custom specialSymbols \",.<>/?~`!@#\" need a minimumNumberOfSpecialSymbols other than 0"
    );
    let mut spec = password_spec();
    spec.as_object_mut()
        .unwrap()
        .remove("minimumNumberOfDigits");
    assert_eq!(
        compile_err(spec).to_string(),
        "randomPassword (minimumNumberOfDigits): minimumNumberOfDigits is required"
    );
    let mut spec = password_spec();
    spec["minimumNumberOfDigits"] = json!(-1);
    assert!(compile_err(spec).message.contains("must not be negative"));
}

// ---------------------------------------------------------------------------------------------
// replaceString / replaceFirstString / replaceLastString / replaceAllString

#[test]
fn replace_string_documented_examples() {
    // ips-ias.md §1.8 replaceString: literal replace of every occurrence.
    let f = json!({"function": "replaceString", "target": "National", "replacement": "European"});
    assert_eq!(
        apply(f, text("National College of Linguistics and History")),
        Some(text("European College of Linguistics and History"))
    );
    let f = json!({"function": "replaceString", "target": "iag", "replacement": "ips"});
    assert_eq!(apply(f, text("iag_user_iag")), Some(text("ips_user_ips")));
    let f = json!({"function": "replaceString", "target": ".*", "replacement": 1});
    assert_eq!(apply(f, text("a.*b")), Some(text("a1b")));
}

#[test]
fn replace_string_documented_apply_on_attribute() {
    // Transformation expressions, applyOnAttribute: "SAP_01_COMP" → "test_01_COMP" in place.
    let f = json!({"function": "replaceString", "applyOnElements": true, "target": "SAP",
                   "replacement": "test", "applyOnAttribute": "COMPOSITE_PRIVILEGE"});
    let privileges =
        json!([{"COMPOSITE_PRIVILEGE": "SAP_01_COMP"}, {"COMPOSITE_PRIVILEGE": "SAP_02_COMP"}]);
    assert_eq!(
        apply(f, privileges),
        Some(
            json!([{"COMPOSITE_PRIVILEGE": "test_01_COMP"}, {"COMPOSITE_PRIVILEGE": "test_02_COMP"}])
        )
    );
}

#[test]
fn replace_string_documented_assign_to_attribute() {
    // Transformation expressions, assignToAttribute: result in ASSIGNMENT, original kept.
    let f = json!({"function": "replaceString", "applyOnElements": true, "target": "SAP",
                   "replacement": "test", "applyOnAttribute": "COMPOSITE_PRIVILEGE",
                   "assignToAttribute": "ASSIGNMENT"});
    let privileges =
        json!([{"COMPOSITE_PRIVILEGE": "SAP_01_COMP"}, {"COMPOSITE_PRIVILEGE": "SAP_02_COMP"}]);
    assert_eq!(
        apply(f, privileges),
        Some(json!([
            {"COMPOSITE_PRIVILEGE": "SAP_01_COMP", "ASSIGNMENT": "test_01_COMP"},
            {"COMPOSITE_PRIVILEGE": "SAP_02_COMP", "ASSIGNMENT": "test_02_COMP"}
        ]))
    );
}

#[test]
fn regex_replacements_documented_examples() {
    // ips-ias.md §1.8 replaceFirstString / replaceLastString / replaceAllString: "14\\d{1}" → 123.
    let value = text("u140-u141-u142");
    let first = json!({"function": "replaceFirstString", "regex": "14\\d{1}", "replacement": 123});
    let last = json!({"function": "replaceLastString", "regex": "14\\d{1}", "replacement": 123});
    let all = json!({"function": "replaceAllString", "regex": "14\\d{1}", "replacement": 123});
    assert_eq!(apply(first, value.clone()), Some(text("u123-u141-u142")));
    assert_eq!(apply(last, value.clone()), Some(text("u140-u141-u123")));
    assert_eq!(apply(all, value), Some(text("u123-u123-u123")));
}

#[test]
fn replace_all_string_documented_ias_v1_group_name() {
    // ips-ias.md §1.12: IAS v1 group name, {"type":"replaceAllString","regex":"[\\s\\p{Punct}]","replacement":"_"}.
    let f = json!({"type": "replaceAllString", "regex": "[\\s\\p{Punct}]", "replacement": "_"});
    assert_eq!(
        apply(f, text("Sales & Marketing (EU)")),
        Some(text("Sales___Marketing__EU_"))
    );
}

#[test]
fn regex_replacements_follow_java_replacement_syntax() {
    let f = json!({"function": "replaceAllString", "regex": "(\\w+)@(\\w+)", "replacement": "$2 at $1"});
    assert_eq!(
        apply(f, text("john@sap, jane@ias")),
        Some(text("sap at john, ias at jane"))
    );
    let f = json!({"function": "replaceAllString", "regex": "(?<user>\\w+)@", "replacement": "${user} \\$ "});
    assert_eq!(apply(f, text("john@x")), Some(text("john $ x")));
    // $12 with one group is group 1 then "2", as in Java.
    let f = json!({"function": "replaceFirstString", "regex": "(a)", "replacement": "$12"});
    assert_eq!(apply(f, text("abc")), Some(text("a2bc")));
    // Empty matches, as Java's replaceAll.
    let f = json!({"function": "replaceAllString", "regex": "x*", "replacement": "-"});
    assert_eq!(apply(f, text("abc")), Some(text("-a-b-c-")));
    for (replacement, expected) in [
        ("$", "'$' at the end"),
        ("\\", "character to be escaped is missing"),
        ("$x", "illegal group reference '$x'"),
        ("$2", "no group 2"),
        ("${nope}", "no group named \"nope\""),
    ] {
        let err = compile_err(
            json!({"function": "replaceAllString", "regex": "(a)", "replacement": replacement}),
        );
        assert_eq!(err.parameter.as_deref(), Some("replacement"));
        assert!(err.message.contains(expected), "{replacement}: {err}");
    }
}

// ---------------------------------------------------------------------------------------------
// resolveEntityIds

#[test]
fn resolve_entity_ids_scalar_manager() {
    // ips-ias.md §1.12: the manager's id resolves; an unprovisioned manager gives no value.
    let ids = Ids::with(&[("user", "m-1", "T-100")]);
    let f = json!({"function": "resolveEntityIds"});
    let none = BTreeMap::new();
    assert_eq!(
        apply_with(f.clone(), text("m-1"), &json!({}), &none, &ids),
        Some(text("T-100"))
    );
    assert_eq!(apply_with(f, text("m-2"), &json!({}), &none, &ids), None);
}

#[test]
fn resolve_entity_ids_members_keep_order_and_drop_unresolved() {
    // ips-ias.md §1.12: $.members[*].value → $.members[?(@.value)], entityType user and group.
    let ids = Ids::with(&[
        ("user", "u1", "T1"),
        ("user", "u3", "T3"),
        ("group", "g1", "TG1"),
    ]);
    let none = BTreeMap::new();
    let users = json!({"type": "resolveEntityIds", "entityType": "user"});
    assert_eq!(
        apply_with(
            users,
            json!(["u3", "u2", "u1", "g1"]),
            &json!({}),
            &none,
            &ids
        ),
        Some(json!(["T3", "T1"]))
    );
    let groups = json!({"type": "resolveEntityIds", "entityType": "group"});
    assert_eq!(
        apply_with(groups, json!(["u3", "g1"]), &json!({}), &none, &ids),
        Some(json!(["TG1"]))
    );
}

#[test]
fn resolve_entity_ids_member_objects_and_system_names() {
    let ids = Ids::with(&[("user", "u1", "T1")]);
    let none = BTreeMap::new();
    let f = json!({"function": "resolveEntityIds", "sourceSystemName": "SourceSystem1"});
    assert_eq!(
        apply_with(
            f,
            json!([{"value": "u1", "display": "John"}, {"value": "u9"}]),
            &json!({}),
            &none,
            &ids
        ),
        Some(json!([{"value": "T1", "display": "John"}]))
    );
    assert_eq!(
        ids.seen.borrow().as_slice(),
        ["user:u1:SourceSystem1:-", "user:u9:SourceSystem1:-"]
    );
}

#[test]
fn resolve_entity_ids_documented_ad_members_by_type() {
    // Transformation expressions, conditions in functions (Microsoft AD target): users and groups
    // resolved by @.type, then prefixed with concatString on their value.
    let ids = Ids::with(&[("user", "u1", "jdoe"), ("group", "g1", "admins")]);
    let mut properties = BTreeMap::new();
    properties.insert("ldap.user.path".to_string(), "OU=Users".to_string());
    let members = json!([{"value": "u1", "type": "User"}, {"value": "g1", "type": "Group"}, {"value": "u2", "type": "User"}]);
    let chain = [
        json!({"condition": "@.type != 'Group'", "entityType": "user", "applyOnElements": true, "type": "resolveEntityIds"}),
        json!({"condition": "@.type == 'Group'", "entityType": "group", "applyOnElements": true, "type": "resolveEntityIds"}),
        json!({"condition": "(@.type != 'Group')", "function": "concatString", "applyOnElements": true,
               "applyOnAttribute": "value", "prefix": "CN=", "suffix": ",OU=Users"}),
    ];
    let mut value = Some(members);
    for f in chain {
        value = apply_with(f, value.unwrap(), &json!({}), &properties, &ids);
    }
    assert_eq!(
        value,
        Some(
            json!([{"value": "CN=jdoe,OU=Users", "type": "User"}, {"value": "admins", "type": "Group"}])
        )
    );
}

#[test]
fn resolve_entity_ids_errors() {
    let err = compile_err(json!({"function": "resolveEntityIds", "entityType": "role"}));
    assert_eq!(
        err.to_string(),
        "resolveEntityIds (entityType): unknown entityType \"role\"; expected one of user, group"
    );
    let err = apply_err(json!({"function": "resolveEntityIds"}), json!({"id": "x"}));
    assert!(err.message.contains("without \"value\""), "{err}");
}

// ---------------------------------------------------------------------------------------------
// splitStringToArray / substring / case

#[test]
fn split_string_to_array_documented_countries() {
    // ips-ias.md §1.8 splitStringToArray: "Serbia,Germany,Spain" → ["Serbia","Germany","Spain"].
    let f = json!({"function": "splitStringToArray", "separator": ","});
    assert_eq!(
        apply(f.clone(), text("Serbia,Germany,Spain")),
        Some(json!(["Serbia", "Germany", "Spain"]))
    );
    assert_eq!(
        apply(f.clone(), text("a,,b,,")),
        Some(json!(["a", "", "b"]))
    );
    assert_eq!(apply(f, text("")), Some(json!([""])));
    // The separator is literal text, not a regex.
    let f = json!({"function": "splitStringToArray", "separator": "."});
    assert_eq!(apply(f, text("a.b")), Some(json!(["a", "b"])));
    let err = compile_err(json!({"function": "splitStringToArray", "separator": ""}));
    assert_eq!(
        err.to_string(),
        "splitStringToArray (separator): separator must not be empty"
    );
}

#[test]
fn substring_documented_example_and_java_semantics() {
    // ips-ias.md §1.8 substring: "beginIndex": 3, "endIndex": "5".
    let f = json!({"function": "substring", "beginIndex": 3, "endIndex": "5"});
    assert_eq!(apply(f, text("johnsmith")), Some(text("ns")));
    let f = json!({"function": "substring", "beginIndex": 4});
    assert_eq!(apply(f.clone(), text("johnsmith")), Some(text("smith")));
    assert_eq!(apply(f, text("john")), Some(text("")));
    // UTF-16 code units, as Java counts: the emoji is two.
    let f = json!({"function": "substring", "beginIndex": 2});
    assert_eq!(apply(f, text("😀abc")), Some(text("abc")));
    let err = apply_err(
        json!({"function": "substring", "beginIndex": 2, "endIndex": 10}),
        text("abc"),
    );
    assert_eq!(
        err.to_string(),
        "substring: substring(2, 10) is out of range for a text of length 3 (UTF-16 code units)"
    );
    let err = compile_err(json!({"function": "substring", "beginIndex": 5, "endIndex": 2}));
    assert_eq!(err.parameter.as_deref(), Some("endIndex"));
}

#[test]
fn case_conversion_with_locales() {
    // ips-ias.md §1.8 toUpperCaseString / toLowerCaseString: locale default en_EN.
    assert_eq!(
        apply(
            json!({"function": "toUpperCaseString", "locale": "en_EN"}),
            text("johnSmith")
        ),
        Some(text("JOHNSMITH"))
    );
    assert_eq!(
        apply(json!({"function": "toLowerCaseString"}), text("JohnSmith")),
        Some(text("johnsmith"))
    );
    assert_eq!(
        apply(
            json!({"function": "toUpperCaseString", "locale": "de_DE"}),
            text("straße")
        ),
        Some(text("STRASSE"))
    );
    assert_eq!(
        apply(
            json!({"function": "toUpperCaseString", "locale": "tr_TR"}),
            text("istanbul")
        ),
        Some(text("İSTANBUL"))
    );
    assert_eq!(
        apply(
            json!({"function": "toLowerCaseString", "locale": "tr"}),
            text("ISPARTA İL")
        ),
        Some(text("ısparta il"))
    );
    assert_eq!(
        apply(json!({"function": "toUpperCaseString"}), text("istanbul")),
        Some(text("ISTANBUL"))
    );
}

// ---------------------------------------------------------------------------------------------
// Common parameters

#[test]
fn condition_false_passes_the_value_through() {
    let f = json!({"function": "toUpperCaseString", "condition": "@ =~ /a.*/"});
    assert_eq!(apply(f.clone(), text("abc")), Some(text("ABC")));
    assert_eq!(apply(f, text("xyz")), Some(text("xyz")));
}

#[test]
fn condition_sees_the_entity_and_the_properties() {
    // ips-ias.md §1.8: "isAttributeWithMandatoryPrefix(@, sac.group.prefix)" and $ = the entity.
    let f = json!({"function": "concatString", "suffix": "!",
                   "condition": "isAttributeWithMandatoryPrefix(@, sac.group.prefix) && $.active == true"});
    let mut properties = BTreeMap::new();
    properties.insert("sac.group.prefix".to_string(), "SAC_".to_string());
    let active = json!({"active": true});
    assert_eq!(
        apply_with(f.clone(), text("SAC_admins"), &active, &properties, &()),
        Some(text("SAC_admins!"))
    );
    assert_eq!(
        apply_with(f.clone(), text("admins"), &active, &properties, &()),
        Some(text("admins"))
    );
    assert_eq!(
        apply_with(
            f,
            text("SAC_admins"),
            &json!({"active": false}),
            &properties,
            &()
        ),
        Some(text("SAC_admins"))
    );
}

#[test]
fn apply_on_elements_tests_the_condition_per_element() {
    let f = json!({"function": "toUpperCaseString", "applyOnElements": true, "condition": "@ != 'keep'"});
    assert_eq!(
        apply(f, json!(["a", "keep", "b"])),
        Some(json!(["A", "keep", "B"]))
    );
    let f = json!({"function": "elementAt", "index": 1, "applyOnElements": true});
    assert_eq!(apply(f, json!([[1, 2], [3], [4, 5]])), Some(json!([2, 5])));
}

#[test]
fn string_function_on_an_array_says_to_set_apply_on_elements() {
    let err = apply_err(json!({"function": "toUpperCaseString"}), json!(["a", "b"]));
    assert_eq!(
        err.to_string(),
        "toUpperCaseString: expects text, got an array of 2 elements; set \"applyOnElements\": true to apply the function to each element"
    );
    let err = apply_err(
        json!({"function": "concatString", "prefix": "x"}),
        json!({"a": 1}),
    );
    assert!(err.message.contains("applyOnAttribute"), "{err}");
}

#[test]
fn apply_on_attribute_leaves_maps_without_the_attribute_and_rejects_text() {
    let f = json!({"function": "toUpperCaseString", "applyOnAttribute": "name"});
    assert_eq!(
        apply(f.clone(), json!({"name": "x", "id": 1})),
        Some(json!({"name": "X", "id": 1}))
    );
    assert_eq!(
        apply(f.clone(), json!([{"id": 1}])),
        Some(json!([{"id": 1}]))
    );
    let err = apply_err(f, text("x"));
    assert_eq!(
        err.to_string(),
        "toUpperCaseString (applyOnAttribute): applyOnAttribute needs an object or an array of objects, got a string"
    );
    // The deprecated name works the same.
    let f = json!({"function": "toUpperCaseString", "applyOnJsonAttribute": "name"});
    assert_eq!(apply(f, json!({"name": "x"})), Some(json!({"name": "X"})));
}

#[test]
fn no_value_for_an_attribute_removes_it() {
    let f = json!({"function": "getMatchedRegexGroup", "regex": "\\d+", "groupIndex": 0,
                   "applyOnAttribute": "code", "assignToAttribute": "number"});
    assert_eq!(
        apply(f, json!([{"code": "A12"}, {"code": "B", "number": "old"}])),
        Some(json!([{"code": "A12", "number": "12"}, {"code": "B"}]))
    );
}

#[test]
fn errors_about_values_never_show_their_content() {
    // DESIGN.md: secrets never appear in error messages; a function cannot tell a password
    // from a name, so value errors give the type and size only.
    let secret = text("S3cr3t-Passw0rd");
    let failing = [
        json!({"function": "putIfAbsent", "key": "k", "defaultValue": 1}),
        json!({"function": "substring", "beginIndex": 99}),
        json!({"function": "decode", "algorithm": "base32"}),
        json!({"function": "resolveEntityIds"}),
        json!({"function": "toUpperCaseString", "applyOnAttribute": "a"}),
    ];
    for f in failing {
        let value = if f["function"] == "resolveEntityIds" {
            json!(true)
        } else {
            secret.clone()
        };
        let err = apply_err(f, value);
        assert!(!err.to_string().contains("S3cr3t"), "{err}");
    }
    let err = apply_err(
        json!({"function": "concatString"}),
        json!(["S3cr3t-Passw0rd"]),
    );
    assert!(!err.to_string().contains("S3cr3t"), "{err}");
}

#[test]
fn null_passes_through_value_functions() {
    assert_eq!(
        apply(json!({"function": "toUpperCaseString"}), Value::Null),
        Some(Value::Null)
    );
    assert_eq!(
        apply(
            json!({"function": "putIfAbsent", "key": "k", "defaultValue": 1}),
            Value::Null
        ),
        Some(Value::Null)
    );
    assert_eq!(
        apply(json!({"function": "resolveEntityIds"}), Value::Null),
        None
    );
}

#[test]
fn function_named_by_type_or_function_is_the_same() {
    // ips-ias.md §1.8: "function" and "type" name a function interchangeably.
    let a = apply(json!({"type": "concatString", "prefix": "p"}), text("x"));
    let b = apply(
        json!({"function": "concatString", "prefix": "p"}),
        text("x"),
    );
    assert_eq!(a, b);
    assert_eq!(compile(json!({"type": "toString"})).name(), "toString");
}

#[test]
fn compile_errors_name_the_function_and_parameter() {
    let err = compile_err(json!({"function": "toTitleCase"}));
    assert_eq!(err.function, "toTitleCase");
    assert!(
        err.message.starts_with(
            "unknown function \"toTitleCase\"; IPS documents compositeId, concatString"
        ),
        "{err}"
    );
    let err = compile_err(json!({"function": "toString", "condition": "@.type ==="}));
    assert_eq!(err.parameter.as_deref(), Some("condition"));
    assert!(
        err.message.starts_with("invalid condition \"@.type ===\""),
        "{err}"
    );
    let err = compile_err(json!({"function": "toString", "applyOnElements": "yes"}));
    assert_eq!(
        err.to_string(),
        "toString (applyOnElements): applyOnElements must be true or false, found the string \"yes\""
    );
    let err = compile_err(json!({"function": "putIfAbsent", "key": "type"}));
    assert_eq!(
        err.to_string(),
        "putIfAbsent (defaultValue): defaultValue is required"
    );
    let err = compile_err(json!({"function": "convertTimezoneCode"}));
    assert_eq!(
        err.to_string(),
        "convertTimezoneCode (outputFormat): outputFormat is required"
    );
}

// ---------------------------------------------------------------------------------------------
// Hostile input

/// A small deterministic generator for the no-panic run.
struct Gen(Random);

impl Gen {
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.0.below(items.len())]
    }

    fn text(&mut self) -> String {
        const PIECES: &[&str] = &[
            "",
            "a",
            "Z",
            "0",
            "9",
            "-",
            "+",
            "$",
            "\\",
            "{",
            "}",
            "(",
            ")",
            "[",
            "]",
            "'",
            "''",
            "\"",
            ",",
            ":",
            "/",
            "=",
            "é",
            "😀",
            "\u{0}",
            "\u{130}",
            "İ",
            "ı",
            "yyyy",
            "MM",
            "dd",
            "HH",
            "SSS",
            "EEEE",
            "Date(",
            "/Date(1519809649123-0240)/",
            "US",
            "US-AL",
            "AL",
            "CET",
            "America/Phoenix",
            "EN",
            "zh_TW",
            "JJHUQTRKKNGUSVCIF5FHK3TJN5ZA====",
            "====",
            "$1",
            "${x}",
            "(?i)",
            ".*",
            "*",
            "\\d",
            "\\p{Punct}",
            "@",
            "%",
            "99999999999999999999",
            "-9223372036854775808",
            "2024-02-29 12:00:00.000",
            " ",
            "\n",
        ];
        let n = self.0.below(5);
        (0..n).map(|_| *self.pick(PIECES)).collect()
    }

    fn value(&mut self, depth: usize) -> Value {
        let choice = if depth > 2 {
            self.0.below(5)
        } else {
            self.0.below(8)
        };
        match choice {
            0 => Value::Null,
            1 => Value::Bool(self.0.below(2) == 0),
            2 => json!(*self.pick(&[0_i64, 1, -1, 255, 256, i64::MAX, i64::MIN, 1519809649123])),
            3 => json!(*self.pick(&[0.5_f64, -1e300, 1e-7])),
            4 => Value::String(self.text()),
            5 | 6 => Value::Array(
                (0..self.0.below(4))
                    .map(|_| self.value(depth + 1))
                    .collect(),
            ),
            _ => {
                let mut map = Map::new();
                for _ in 0..self.0.below(4) {
                    let key = self
                        .pick(&[
                            "value", "type", "country", "region", "name", "key", "roleName", "x",
                        ])
                        .to_string();
                    map.insert(key, self.value(depth + 1));
                }
                Value::Object(map)
            }
        }
    }

    fn parameter(&mut self) -> Value {
        match self.0.below(6) {
            0 => json!(*self.pick(&[0_i64, 1, 2, 3, -1, -100, 5000, i64::MAX, i64::MIN])),
            1 => json!(*self.pick(&["+2", "-1", "3", "x", "", "true", "false"])),
            2 => Value::Bool(self.0.below(2) == 0),
            3 => json!(["country", "region"]),
            4 => Value::Null,
            _ => Value::String(self.text()),
        }
    }
}

#[test]
fn hostile_values_and_parameters_never_panic() {
    const NAMES: &[&str] = &[
        "compositeId",
        "concatString",
        "convertCountryCode",
        "convertCountryRegion",
        "convertLocaleCode",
        "convertTimezoneCode",
        "copyMapEntry",
        "decode",
        "elementAt",
        "encode",
        "getMatchedRegexGroup",
        "manipulateDate",
        "matchRegex",
        "putIfAbsent",
        "putIfPresent",
        "randomPassword",
        "renameMapEntry",
        "replaceAllString",
        "replaceFirstString",
        "replaceLastString",
        "replaceString",
        "resolveEntityIds",
        "splitStringToArray",
        "substring",
        "toLowerCaseString",
        "toString",
        "toUpperCaseString",
    ];
    const PARAMETERS: &[&str] = &[
        "prefix",
        "suffix",
        "outputFormat",
        "inputAttributes",
        "outputAttribute",
        "separator",
        "subId",
        "sourceKey",
        "targetKey",
        "algorithm",
        "skipPadding",
        "index",
        "regex",
        "groupIndex",
        "sourceDateFormat",
        "targetDateFormat",
        "years",
        "months",
        "days",
        "hours",
        "minutes",
        "seconds",
        "key",
        "defaultValue",
        "passwordLength",
        "minimumNumberOfLowercaseLetters",
        "minimumNumberOfUppercaseLetters",
        "minimumNumberOfDigits",
        "minimumNumberOfSpecialSymbols",
        "specialSymbols",
        "target",
        "replacement",
        "entityType",
        "beginIndex",
        "endIndex",
        "locale",
        "condition",
        "applyOnElements",
        "applyOnAttribute",
        "assignToAttribute",
    ];
    const CHOICES: &[&str] = &[
        "alpha2",
        "alpha3",
        "numeric",
        "fullName",
        "bcp47",
        "iso639",
        "iana",
        "sap",
        "base32",
        "base64",
        "user",
        "group",
        "Date(milliseconds)",
        "yyyy-MM-dd HH:mm:ss.SSS",
        "@.type == 'x'",
        "value",
    ];
    let mut g = Gen(Random::new(0x5A9_1A4D));
    let ids = Ids::with(&[("user", "a", "T")]);
    let mut compiled = 0;
    for _ in 0..4000 {
        let name = *g.pick(NAMES);
        let mut parameters = Map::new();
        for _ in 0..g.0.below(7) {
            let parameter = g.pick(PARAMETERS).to_string();
            let value = if g.0.below(3) == 0 {
                json!(*g.pick(CHOICES))
            } else {
                g.parameter()
            };
            parameters.insert(parameter, value);
        }
        let f = Function {
            name: name.to_string(),
            named_by: NamedBy::Function,
            parameters,
            member_order: Vec::new(),
        };
        let Ok(function) = CompiledFunction::compile(&f) else {
            continue;
        };
        compiled += 1;
        for _ in 0..5 {
            let document = g.value(0);
            let value = g.value(0);
            let mut random = Random::new(g.0.next_u64());
            let mut env = Env {
                document: &document,
                properties: &(),
                ids: &ids,
                random: &mut random,
            };
            let _ = function.apply(value, &mut env);
        }
    }
    assert!(
        compiled > 300,
        "only {compiled} functions compiled: the generator is too hostile to test apply"
    );
}
