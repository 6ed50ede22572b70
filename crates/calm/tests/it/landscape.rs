//! Registration, heartbeat and landscape objects on the wire.

use jiff::Timestamp;
use sapland_calm::{LandscapeQuery, Registration};
use serde_json::json;

use crate::support::{Fake, Reply};

const OBJECTS: &str = "/api/calm-landscape/v1/landscapeObjects";

/// §6.2's registration request and answer (body proposed, path [DOC]).
#[tokio::test]
async fn a_system_registers_with_the_proposed_body() {
    let fake = Fake::start(|request| {
        (request.path == "/api/landscape-management/v1/Registration").then(|| {
            Reply::json(
                201,
                json!({"lmsId": "710b9573-5f47-4de6-b761-070626300000", "status": "Registered"}),
            )
        })
    })
    .await;
    let (client, _) = fake.client();
    let registration = Registration {
        system_id: "S4H".into(),
        client: "000".into(),
        system_number: "000000000312345678".into(),
        installation_number: "0020123456".into(),
        db_host: "s4hdb01".into(),
        host_name: "s4happ01".into(),
        sap_system_type: "ABAP".into(),
        product_version: "SAP S/4HANA 2023".into(),
        basis_release: "758".into(),
        basis_sp: "2".into(),
        st_pi_release: "740".into(),
        st_pi_sp: "34".into(),
        description: "CALM".into(),
        background_user: "CALMBATCH".into(),
        time_zone: "UTC".into(),
    };
    let registered = client.register(&registration).await.unwrap();
    assert_eq!(registered.lms_id, "710b9573-5f47-4de6-b761-070626300000");
    assert_eq!(registered.status, "Registered");
    let request = &fake.requests_to("/api/landscape-management/v1/Registration")[0];
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.json(),
        json!({"systemId":"S4H","client":"000","systemNumber":"000000000312345678","installationNumber":"0020123456",
               "dbHost":"s4hdb01","hostName":"s4happ01","sapSystemType":"ABAP","productVersion":"SAP S/4HANA 2023",
               "basisRelease":"758","basisSp":"2","stPiRelease":"740","stPiSp":"34","description":"CALM",
               "backgroundUser":"CALMBATCH","timeZone":"UTC"})
    );
    assert_eq!(
        request.headers.get("content-type").unwrap(),
        "application/json"
    );
}

/// §3.11: a registration without `SAPDBHOST` is answered 400.
#[tokio::test]
async fn a_refused_registration_carries_the_servers_message() {
    let fake = Fake::start(|request| {
        (request.path == "/api/landscape-management/v1/Registration").then(|| {
            Reply::json(
                400,
                json!({"status": 400, "error": "BAD_REQUEST", "message": "dbHost is missing"}),
            )
        })
    })
    .await;
    let (client, _) = fake.client();
    let error = client.register(&Registration::default()).await.unwrap_err();
    assert_eq!(error.status(), Some(400));
    assert_eq!(
        error.to_string(),
        format!(
            "400 BAD_REQUEST: dbHost is missing (POST {}/api/landscape-management/v1/Registration)",
            fake.url
        )
    );
}

#[tokio::test]
async fn unregister_and_heartbeat() {
    let fake = Fake::start(|request| {
        request
            .path
            .starts_with("/api/landscape-management/")
            .then(|| Reply::empty(204))
    })
    .await;
    let (client, _) = fake.client();
    client.unregister("lms 1/2").await.unwrap();
    let at: Timestamp = "2026-11-22T09:05:00Z".parse().unwrap();
    client.heartbeat("lms-1", at).await.unwrap();
    let requests = fake.requests();
    let delete = requests.iter().find(|r| r.method == "DELETE").unwrap();
    assert_eq!(
        delete.path,
        "/api/landscape-management/v1/Registration/lms%201%2F2"
    );
    let heartbeat = &fake.requests_to("/api/landscape-management/v1/Heartbeat")[0];
    assert_eq!(
        heartbeat.json(),
        json!({"lmsId": "lms-1", "timestamp": "2026-11-22T09:05:00Z"})
    );
}

/// §2.4: filters as query parameters, a plain JSON array, `x-total-count`.
#[tokio::test]
async fn landscape_objects_are_read_page_by_page() {
    let fake = Fake::start(|request| {
        (request.path == OBJECTS).then(|| {
            let offset: usize = request.param("offset").unwrap_or("0").parse().unwrap();
            let limit: usize = request.param("limit").unwrap().parse().unwrap();
            let items: Vec<_> = (offset..(offset + limit).min(5))
                .map(|n| json!({"lmsId": format!("id-{n}"), "name": format!("S{n}"), "objectType": "TechnicalSystem", "tags": ["x"]}))
                .collect();
            Reply::json(200, json!(items)).header("x-total-count", 5)
        })
    })
    .await;
    let (client, _) = fake.client();
    let query = LandscapeQuery {
        object_type: Some("TechnicalSystem".into()),
        name: Some("S 1&2".into()),
        limit: Some(2),
        ..LandscapeQuery::default()
    };
    let all = client.all_landscape_objects(&query).await.unwrap();
    assert_eq!(
        all.iter().map(|o| o.lms_id.as_str()).collect::<Vec<_>>(),
        ["id-0", "id-1", "id-2", "id-3", "id-4"]
    );
    assert_eq!(all[0].object_type.as_deref(), Some("TechnicalSystem"));
    assert_eq!(all[0].extra.0["tags"], json!(["x"]));
    let calls = fake.requests_to(OBJECTS);
    assert_eq!(calls.len(), 3);
    assert_eq!(
        calls[1].raw_query.as_deref(),
        Some("name=S%201%262&objectType=TechnicalSystem&limit=2&offset=2")
    );
    let page = client.landscape_objects(&query).await.unwrap();
    assert_eq!((page.items.len(), page.total), (2, Some(5)));
}

/// A key without `calm-api.landscape.read`: 403, and the error names the scope.
#[tokio::test]
async fn a_missing_scope_is_named() {
    let fake = Fake::start(|request| {
        (request.path == OBJECTS).then(|| {
            Reply::json(
                403,
                json!({"status": 403, "error": "FORBIDDEN", "message": "Insufficient scope"}),
            )
        })
    })
    .await;
    fake.set_scopes(Some(
        "calm!b2716.calm-api.metrics.write calm-api.metrics.write",
    ));
    let (client, _) = fake.client();
    let error = client
        .landscape_objects(&LandscapeQuery::default())
        .await
        .unwrap_err();
    assert_eq!(error.missing_scope(), Some("calm-api.landscape.read"));
    assert_eq!(
        error.to_string(),
        format!(
            "403 FORBIDDEN: Insufficient scope (GET {}{OBJECTS}); the service key lacks the scope \
             calm-api.landscape.read: add $XSMASTERAPPNAME.calm-api.landscape.read to the \
             authorities of its SAP Cloud ALM API service instance",
            fake.url
        )
    );

    let unlisted = Fake::start(|request| {
        (request.path == OBJECTS).then(|| Reply::json(403, json!({"message": "Forbidden"})))
    })
    .await;
    unlisted.set_scopes(None);
    let (client, _) = unlisted.client();
    let error = client
        .landscape_objects(&LandscapeQuery::default())
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("the service key may lack the scope calm-api.landscape.read"),
        "{error}"
    );

    let granted = Fake::start(|request| {
        (request.path == OBJECTS)
            .then(|| Reply::json(403, json!({"status": 403, "error": "FORBIDDEN", "message": "Object type BusinessService"})))
    })
    .await;
    let (client, _) = granted.client();
    let error = client
        .landscape_objects(&LandscapeQuery::default())
        .await
        .unwrap_err();
    assert_eq!(
        error.missing_scope(),
        None,
        "the token has the scope: {error}"
    );
}
