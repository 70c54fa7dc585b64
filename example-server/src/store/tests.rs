//! The store's rules, in memory.

use super::*;
use serde_json::json;

const LIMITS: Limits = Limits {
    max_objects: 10_000,
    max_bytes: usize::MAX,
};

fn config(store: &mut Store, limits: Limits, project: &str, name: &str) -> String {
    let body = CreateSoftwareConfigRequest {
        name: Some(name.to_owned()),
        ..Default::default()
    };
    store
        .create_config(limits, project, body, "t".to_owned())
        .unwrap()
        .id
}

fn deployment(
    store: &mut Store,
    limits: Limits,
    config_id: &str,
    server_id: &str,
) -> Result<String, StoreError> {
    let body = CreateSoftwareDeploymentRequest {
        action: None,
        config_id: config_id.to_owned(),
        input_values: None,
        server_id: server_id.to_owned(),
        stack_user_project_id: None,
        status: None,
        status_reason: None,
    };
    store
        .create_deployment(limits, "p", body, "t".to_owned())
        .map(|d| d.id)
}

#[test]
fn configs_get_heats_defaults() {
    let mut store = Store::default();
    let body: CreateSoftwareConfigRequest = serde_json::from_value(json!({
        "inputs": [{"name": "foo"}, {"name": "bar", "type": "Number", "default": 3}],
        "outputs": [{"name": "result"}],
    }))
    .unwrap();
    let config = store
        .create_config(LIMITS, "p", body, "t".to_owned())
        .unwrap();
    assert_eq!(config.group, DEFAULT_GROUP);
    assert_eq!(config.name, None);
    assert_eq!(config.options, None);
    assert_eq!(
        serde_json::to_value(&config.inputs).unwrap(),
        json!([{"name": "foo", "type": "String"},
            {"name": "bar", "type": "Number", "default": 3}])
    );
    assert_eq!(
        serde_json::to_value(&config.outputs).unwrap(),
        json!([{"name": "result", "type": "String", "error_output": false}])
    );
}

#[test]
fn configs_are_listed_newest_first_a_page_at_a_time() {
    let mut store = Store::default();
    let ids: Vec<String> = (0..5)
        .map(|i| config(&mut store, LIMITS, "p", &format!("c{i}")))
        .collect();
    config(&mut store, LIMITS, "other", "elsewhere");
    deployment(&mut store, LIMITS, &ids[0], "s").unwrap();
    let names = |page: Vec<SoftwareConfigSummary>| -> Vec<String> {
        page.into_iter().map(|c| c.name.unwrap()).collect()
    };
    assert_eq!(
        names(store.list_configs("p", None, None)),
        ["c4", "c3", "c2", "c1", "c0"]
    );
    assert_eq!(names(store.list_configs("p", Some(2), None)), ["c4", "c3"]);
    assert_eq!(
        names(store.list_configs("p", Some(2), Some(&ids[3]))),
        ["c2", "c1"]
    );
    assert_eq!(
        names(store.list_configs("p", None, Some(&ids[0]))),
        Vec::<String>::new()
    );
    // An unknown marker, or one of another project, starts from the newest, as in Heat.
    assert_eq!(
        names(store.list_configs("p", Some(1), Some("nope"))),
        ["c4"]
    );
    let foreign = store.list_configs("other", None, None)[0].id.clone();
    assert_eq!(
        names(store.list_configs("p", Some(1), Some(&foreign))),
        ["c4"]
    );
}

#[test]
fn objects_belong_to_their_project() {
    let mut store = Store::default();
    let id = config(&mut store, LIMITS, "other", "c");
    assert_eq!(
        store.show_config("p", &id),
        Err(StoreError::ConfigNotFound(id.clone()))
    );
    assert_eq!(
        deployment(&mut store, LIMITS, &id, "s"),
        Err(StoreError::UnknownConfig(id.clone()))
    );
    assert_eq!(
        store.delete_config("p", &id),
        Err(StoreError::ConfigNotFound(id.clone()))
    );
    assert!(store.show_config("other", &id).is_ok());
}

#[test]
fn a_config_in_use_cannot_be_deleted() {
    let mut store = Store::default();
    let config_id = config(&mut store, LIMITS, "p", "c");
    let deployment_id = deployment(&mut store, LIMITS, &config_id, "s").unwrap();
    let error = store.delete_config("p", &config_id).unwrap_err();
    assert_eq!(error, StoreError::ConfigInUse(config_id.clone()));
    assert!(!error.is_not_found());
    store.delete_deployment("p", &deployment_id).unwrap();
    store.delete_config("p", &config_id).unwrap();
    assert!(store.is_empty());
    assert_eq!(store.bytes(), 0);
}

#[test]
fn updates_apply_only_the_given_keys() {
    let mut store = Store::default();
    let first = config(&mut store, LIMITS, "p", "a");
    let second = config(&mut store, LIMITS, "p", "b");
    let id = deployment(&mut store, LIMITS, &first, "s").unwrap();
    let body = DeploymentChanges {
        status: Some(rts_api::SoftwareDeploymentStatus::Complete),
        output_values: Some(serde_json::from_value(json!({"result": 1})).unwrap()),
        ..Default::default()
    };
    let updated = store
        .update_deployment(LIMITS, "p", &id, body, "later".to_owned())
        .unwrap();
    assert_eq!(updated.action, None);
    assert_eq!(
        updated.status,
        Some(rts_api::SoftwareDeploymentStatus::Complete)
    );
    assert_eq!(updated.input_values, Some(Default::default()));
    assert_eq!(updated.updated_time, Some(Some("later".to_owned())));
    assert_eq!(store.show_deployment("p", &id).unwrap(), updated);

    let unknown = DeploymentChanges {
        config_id: Some("nope".to_owned()),
        ..Default::default()
    };
    assert_eq!(
        store.update_deployment(LIMITS, "p", &id, unknown, "x".to_owned()),
        Err(StoreError::UnknownConfig("nope".to_owned()))
    );
    let moved = DeploymentChanges {
        config_id: Some(second.clone()),
        ..Default::default()
    };
    let moved = store
        .update_deployment(LIMITS, "p", &id, moved, "x".to_owned())
        .unwrap();
    assert_eq!(moved.config_id, second);
    assert_eq!(
        store.update_deployment(LIMITS, "p", "nope", Default::default(), "x".to_owned()),
        Err(StoreError::DeploymentNotFound("nope".to_owned()))
    );
}

#[test]
fn deployments_are_listed_by_server() {
    let mut store = Store::default();
    let c = config(&mut store, LIMITS, "p", "c");
    let a = deployment(&mut store, LIMITS, &c, "s1").unwrap();
    let b = deployment(&mut store, LIMITS, &c, "s2").unwrap();
    let ids =
        |list: Vec<SoftwareDeployment>| -> Vec<String> { list.into_iter().map(|d| d.id).collect() };
    assert_eq!(ids(store.list_deployments("p", None)), [a.clone(), b]);
    assert_eq!(ids(store.list_deployments("p", Some("s1"))), [a]);
    assert!(store.list_deployments("p", Some("s3")).is_empty());
    assert!(store.list_deployments("other", None).is_empty());
}

#[test]
fn metadata_shows_each_deployed_config_as_stored() {
    let mut store = Store::default();
    let body: CreateSoftwareConfigRequest = serde_json::from_value(json!({
        "name": "b-config",
        "inputs": [{"name": "foo"}, {"name": "bar", "default": "dflt"}],
    }))
    .unwrap();
    let b = store
        .create_config(LIMITS, "p", body, "t".to_owned())
        .unwrap()
        .id;
    let a = config(&mut store, LIMITS, "p", "a-config");
    let body = CreateSoftwareDeploymentRequest {
        action: None,
        config_id: b.clone(),
        input_values: Some(serde_json::from_value(json!({"foo": "fooooo", "extra": [1]})).unwrap()),
        server_id: "s".to_owned(),
        stack_user_project_id: None,
        status: None,
        status_reason: None,
    };
    store
        .create_deployment(LIMITS, "p", body, "t".to_owned())
        .unwrap();
    deployment(&mut store, LIMITS, &a, "s").unwrap();
    deployment(&mut store, LIMITS, &a, "elsewhere").unwrap();

    let metadata = store.server_metadata("p", "s");
    let names: Vec<_> = metadata.iter().map(|c| c.name.as_deref()).collect();
    assert_eq!(names, [Some("a-config"), Some("b-config")]);
    // Exactly what showing the configuration answers: the input values are not merged in.
    assert_eq!(metadata[0], store.show_config("p", &a).unwrap());
    assert_eq!(metadata[1], store.show_config("p", &b).unwrap());
    assert_eq!(
        serde_json::to_value(&metadata[1].inputs).unwrap(),
        json!([
            {"name": "foo", "type": "String"},
            {"name": "bar", "type": "String", "default": "dflt"},
        ])
    );
    assert!(store.server_metadata("p", "nobody").is_empty());
    assert!(store.server_metadata("other", "s").is_empty());
}

#[test]
fn a_full_store_refuses_creates_and_keeps_everything() {
    let limits = Limits {
        max_objects: 3,
        max_bytes: usize::MAX,
    };
    let mut store = Store::default();
    let first = config(&mut store, limits, "p", "c0");
    config(&mut store, limits, "p", "c1");
    let used = deployment(&mut store, limits, &first, "s").unwrap();
    let body = CreateSoftwareConfigRequest::default();
    assert_eq!(
        store.create_config(limits, "p", body, "t".to_owned()),
        Err(StoreError::TooManyObjects(3))
    );
    assert_eq!(
        deployment(&mut store, limits, &first, "s"),
        Err(StoreError::TooManyObjects(3))
    );
    let error = StoreError::TooManyObjects(3);
    assert_eq!(error.heat_type(), "RequestLimitExceeded");
    assert!(error.to_string().starts_with("Request limit exceeded: "));
    assert!(!error.is_not_found() && !error.is_server_failure());
    // Nothing was dropped to make room; deleting frees it.
    assert_eq!(store.len(), 3);
    assert!(store.show_config("p", &first).is_ok());
    store.delete_deployment("p", &used).unwrap();
    deployment(&mut store, limits, &first, "s").unwrap();
}

#[test]
fn the_byte_budget_refuses_creates_and_growing_updates() {
    let mut store = Store::default();
    let c = config(&mut store, LIMITS, "p", "c");
    let id = deployment(&mut store, LIMITS, &c, "s").unwrap();
    let limits = Limits {
        max_objects: 10_000,
        max_bytes: store.bytes() + 300,
    };
    let big = CreateSoftwareConfigRequest {
        name: Some("x".repeat(400)),
        ..Default::default()
    };
    let before = store.bytes();
    assert_eq!(
        store.create_config(limits, "p", big, "t".to_owned()),
        Err(StoreError::TooManyBytes(limits.max_bytes))
    );
    let grow = DeploymentChanges {
        output_values: Some(
            serde_json::from_value(json!({"deploy_stdout": "x".repeat(400)})).unwrap(),
        ),
        ..Default::default()
    };
    assert_eq!(
        store.update_deployment(limits, "p", &id, grow, "t".to_owned()),
        Err(StoreError::TooManyBytes(limits.max_bytes))
    );
    assert_eq!(store.bytes(), before);
    assert_eq!(store.show_deployment("p", &id).unwrap().output_values, None);
    // An update that fits, and a small create, still go through.
    let small = DeploymentChanges {
        status_reason: Some("ok".to_owned()),
        ..Default::default()
    };
    store
        .update_deployment(limits, "p", &id, small, "t".to_owned())
        .unwrap();
    config(&mut store, limits, "p", "d");
}
