//! Landscape Management: registration (reference §2.4 path, §6.2 body), unregister and heartbeat
//! (proposed), and `GET /calm-landscape/v1/landscapeObjects` (§2.4) with the pre-registered
//! Identity Provisioning service (§4).

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::support::{Call, harness};

const REGISTRATION: &str = "/api/landscape-management/v1/Registration";
const HEARTBEAT: &str = "/api/landscape-management/v1/Heartbeat";
const OBJECTS: &str = "/api/calm-landscape/v1/landscapeObjects";

/// Reference §6.2's registration body.
pub(crate) fn registration() -> Value {
    json!({"systemId":"S4H","client":"000","systemNumber":"000000000312345678","installationNumber":"0020123456",
           "dbHost":"s4hdb01","hostName":"s4happ01","sapSystemType":"ABAP","productVersion":"SAP S/4HANA 2023",
           "basisRelease":"758","basisSp":"2","stPiRelease":"740","stPiSp":"34","description":"CALM",
           "backgroundUser":"CALMBATCH","timeZone":"UTC"})
}

#[tokio::test]
async fn ref_4_identity_provisioning_is_a_pre_registered_cloud_service() {
    let h = harness();
    let token = h.token().await;
    let answer = h
        .get(
            &format!("{OBJECTS}?serviceType=SAP_CLOUD_IDENTITY_PROVISIONING"),
            &token,
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.header("x-total-count"), Some("1"));
    let object = &answer.json[0];
    assert_eq!(object["objectType"], "CloudService");
    assert_eq!(object["source"], "SLIS");
    assert_eq!(object["name"], "Identity Provisioning");
    let keys: Vec<&String> = object.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "lmsId",
            "name",
            "objectType",
            "serviceType",
            "systemNumber",
            "role",
            "source",
            "externalId",
            "deploymentModel",
            "description"
        ]
    );
    assert_eq!(
        object["lmsId"].as_str().unwrap(),
        crate::support::harness().ips(),
        "the LMS id comes from the landscape seed"
    );
}

#[tokio::test]
async fn ref_2_4_registration_gives_an_lms_id_and_a_technical_system() {
    let h = harness();
    let token = h.token().await;
    let answer = h.post(REGISTRATION, &token, &registration()).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.json);
    assert_eq!(answer.json["status"], "Registered");
    let lms_id = answer.json["lmsId"].as_str().unwrap().to_string();

    let listed = h
        .get(&format!("{OBJECTS}?source=REGISTRATION"), &token)
        .await;
    assert_eq!(listed.json[0]["lmsId"], lms_id.as_str());
    assert_eq!(listed.json[0]["objectType"], "TechnicalSystem");
    assert_eq!(listed.json[0]["name"], "S4H:000");
    assert_eq!(listed.json[0]["systemNumber"], "000000000312345678");

    let again = h.post(REGISTRATION, &token, &registration()).await;
    assert_eq!(
        again.json["lmsId"],
        lms_id.as_str(),
        "re-registering keeps the LMS id"
    );
}

#[tokio::test]
async fn ref_2_4_registration_without_db_host_or_system_number_is_400() {
    let h = harness();
    let token = h.token().await;
    for (field, value, message) in [
        ("dbHost", json!(null), "SAPDBHOST"),
        ("systemNumber", json!(""), "SLICENSE"),
        ("systemNumber", json!("000000000000000000"), "SLICENSE"),
        ("systemNumber", json!(312345678), "expected a string"),
    ] {
        let mut body = registration();
        body[field] = value;
        let answer = h.post(REGISTRATION, &token, &body).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{field}");
        assert_eq!(answer.json["status"], 400);
        assert_eq!(answer.json["error"], "BAD_REQUEST");
        assert!(
            answer.message().starts_with(&format!("$.{field}"))
                && answer.message().contains(message),
            "{}",
            answer.json
        );
    }
    let listed = h.get(OBJECTS, &token).await;
    assert_eq!(
        listed.header("x-total-count"),
        Some("1"),
        "nothing was registered"
    );
}

#[tokio::test]
async fn unregister_and_heartbeat() {
    let h = harness();
    let token = h.token().await;
    let lms_id = h.post(REGISTRATION, &token, &registration()).await.json["lmsId"]
        .as_str()
        .unwrap()
        .to_string();
    let beat = h
        .post(
            HEARTBEAT,
            &token,
            &json!({"lmsId": lms_id, "timestamp": "2026-11-22T09:05:00Z"}),
        )
        .await;
    assert_eq!(beat.status, StatusCode::NO_CONTENT);
    let systems = h.admin_get("/_admin/calm/systems").await;
    let system = systems["systems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["lmsId"] == lms_id.as_str())
        .unwrap();
    assert_eq!(system["registrationStatus"], "Registered");
    assert_eq!(system["lastHeartbeat"], "2026-11-22T09:00:00Z");
    assert_eq!(system["details"]["dbHost"], "s4hdb01");

    let bad = h
        .post(HEARTBEAT, &token, &json!({"timestamp": "20261122090500"}))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    let delete = |id: String| {
        let token = token.clone();
        let api = h.api.clone();
        async move {
            Call::new("DELETE", format!("{REGISTRATION}/{id}"))
                .bearer(&token)
                .send(&api)
                .await
        }
    };
    assert_eq!(delete(lms_id.clone()).await.status, StatusCode::NO_CONTENT);
    assert_eq!(delete(lms_id.clone()).await.status, StatusCode::NOT_FOUND);
    assert_eq!(delete(h.ips()).await.status, StatusCode::CONFLICT);
    let late = h.post(HEARTBEAT, &token, &json!({"lmsId": lms_id})).await;
    assert_eq!(late.status, StatusCode::NOT_FOUND);
    let systems = h.admin_get("/_admin/calm/systems").await.to_string();
    assert!(systems.contains("\"Unregistered\""), "{systems}");
}

#[tokio::test]
async fn landscape_objects_page_with_limit_and_offset() {
    let h = harness();
    let token = h.token().await;
    let mut second = registration();
    second["client"] = json!("100");
    h.post(REGISTRATION, &token, &registration()).await;
    h.post(REGISTRATION, &token, &second).await;
    let page = h.get(&format!("{OBJECTS}?limit=1&offset=1"), &token).await;
    assert_eq!(page.header("x-total-count"), Some("3"));
    assert_eq!(page.json.as_array().unwrap().len(), 1);
    assert_eq!(page.json[0]["name"], "S4H:000");
    let bad = h.get(&format!("{OBJECTS}?limit=ten"), &token).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let by_type = h
        .get(&format!("{OBJECTS}?objectType=TechnicalSystem"), &token)
        .await;
    assert_eq!(by_type.header("x-total-count"), Some("2"));
}

#[tokio::test]
async fn ref_1_3_a_root_without_api_is_404() {
    let h = harness();
    let token = h.token().await;
    let answer = h.get("/calm-landscape/v1/landscapeObjects", &token).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(answer.json["status"], 404);
}
