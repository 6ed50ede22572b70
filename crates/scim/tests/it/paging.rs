//! Reading more than a page: IAS's cursor (`startId=initial` … `nextId` … `end`, [GH]/[DOC]
//! §3.3–§3.4), v1's 100 a page ([DOC] §3.3), generic SCIM's index paging (RFC 7644
//! §3.4.2.4), and filters.

use std::collections::HashSet;

use sapland_scim::{Dialect, Filter, ListQuery, ResourceType};
use serde_json::Value;

use crate::support::Env;

async fn read_all(
    client: &sapland_scim::Client,
    query: ListQuery,
) -> (Vec<Value>, Vec<usize>, Option<u64>) {
    let mut pager = client.list(ResourceType::User, query);
    let mut all = Vec::new();
    let mut sizes = Vec::new();
    while let Some(page) = pager.next_page().await.unwrap() {
        sizes.push(page.resources.len());
        all.extend(page.resources);
    }
    (all, sizes, pager.total_results())
}

fn distinct_ids(resources: &[Value]) -> usize {
    resources
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect::<HashSet<_>>()
        .len()
}

/// [GH] §3.4: v2 pages by cursor until `nextId` is `end`; 260 users in pages of 100.
#[tokio::test]
async fn v2_reads_260_users_by_cursor_page_by_page() {
    let env = Env::unthrottled().await;
    env.seed(260, 0).await;
    let (client, _) = env.client(env.config(Dialect::IasV2, env.basic()));
    let (users, sizes, total) = read_all(&client, ListQuery::default()).await;
    assert_eq!(sizes, [100, 100, 60]);
    assert_eq!(total, Some(260));
    assert_eq!(distinct_ids(&users), 260);
    let queries: Vec<String> = env
        .requests_to("/scim/Users")
        .await
        .iter()
        .map(|e| e["query"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(queries[0].contains("startId=initial"), "{queries:?}");
    assert!(queries[1].contains("startId=") && !queries[1].contains("initial"));
    assert!(queries.iter().all(|q| q.contains("count=100")));
}

/// [DOC] §3.4: filter and paging combine; attributes narrow what is returned.
#[tokio::test]
async fn v2_filters_across_pages() {
    let env = Env::unthrottled().await;
    env.seed(300, 0).await;
    let (client, _) = env.client(env.config(Dialect::IasV2, env.basic()));
    let (everyone, _, _) = read_all(&client, ListQuery::default()).await;
    let department = everyone
        .iter()
        .find_map(|u| {
            u["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]["department"].as_str()
        })
        .unwrap()
        .to_string();
    let expected = everyone
        .iter()
        .filter(|u| {
            u["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]["department"]
                == department.as_str()
        })
        .count();
    let path = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department";
    let query = ListQuery {
        filter: Some(Filter::eq(path, department.as_str()).unwrap()),
        attributes: vec!["userName".into()],
        page_size: Some(7),
        ..ListQuery::default()
    };
    let (found, sizes, total) = read_all(&client, query).await;
    assert_eq!(found.len(), expected);
    assert_eq!(total, Some(expected as u64));
    assert!(sizes.len() > 1, "{sizes:?}");
    assert!(
        found.iter().all(|u| u.get("emails").is_none()),
        "only userName and id"
    );
}

/// [DOC] §3.3: v1 serves at most 100 a page; a larger page size is clamped.
#[tokio::test]
async fn v1_reads_260_users_at_most_100_a_page() {
    let env = Env::unthrottled().await;
    env.seed(260, 0).await;
    let (client, _) = env.client(env.config(Dialect::IasV1, env.basic()));
    let query = ListQuery {
        page_size: Some(500),
        ..ListQuery::default()
    };
    let (users, sizes, _) = read_all(&client, query).await;
    assert_eq!(sizes, [100, 100, 60]);
    assert_eq!(distinct_ids(&users), 260);
    assert!(
        users
            .iter()
            .all(|u| Dialect::IasV1.is_user_id(u["id"].as_str().unwrap()))
    );
    let found = client
        .find(
            ResourceType::User,
            Filter::eq("userName", users[150]["userName"].clone()).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["id"], users[150]["id"]);
}

/// RFC 7644 §3.4.2.4: a generic SCIM 2.0 service pages by index (here the mock's `/scim`).
#[tokio::test]
async fn generic_scim_reads_by_index() {
    let env = Env::unthrottled().await;
    env.seed(260, 0).await;
    let mut config = env.config(Dialect::Scim2, env.basic());
    config.url = format!("{}/scim", env.target().url);
    config.page_size = 120;
    let (client, _) = env.client(config);
    let (users, sizes, _) = read_all(&client, ListQuery::default()).await;
    assert_eq!(sizes, [120, 120, 20]);
    assert_eq!(distinct_ids(&users), 260);
    let queries: Vec<String> = env
        .requests_to("/scim/Users")
        .await
        .iter()
        .map(|e| e["query"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(queries[2].contains("startIndex=241"), "{queries:?}");
}
