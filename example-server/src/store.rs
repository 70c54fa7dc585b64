//! The in-memory store: software configurations and deployments of every project, bounded in
//! count and bytes, with Heat's rules for what refers to what.

use std::collections::{BTreeMap, HashMap};

use rts_api::{
    CreateSoftwareConfigRequest, CreateSoftwareDeploymentRequest, SoftwareConfig,
    SoftwareConfigInput, SoftwareConfigOutput, SoftwareConfigSummary, SoftwareDeployment,
    UpdateSoftwareDeploymentRequest,
};
use serde_json::Value;

/// What Heat calls a configuration created without `group`.
pub const DEFAULT_GROUP: &str = "Heat::Ungrouped";

/// The type Heat gives an input or output declared without one.
const DEFAULT_IO_TYPE: &str = "String";

/// How much the store may hold; the oldest objects are dropped to make room.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most configurations and deployments, together.
    pub max_objects: usize,
    /// Most bytes of configurations and deployments (as JSON), together.
    pub max_bytes: usize,
}

/// Why the store refused an operation, in Heat's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// No configuration with this id in the project (404).
    ConfigNotFound(String),
    /// No deployment with this id in the project (404).
    DeploymentNotFound(String),
    /// A deployment names a configuration that does not exist (400).
    UnknownConfig(String),
    /// A configuration that a deployment uses cannot be deleted (400).
    ConfigInUse(String),
}

impl StoreError {
    /// Heat's exception name, which it sends as `error.type`.
    pub fn heat_type(&self) -> &'static str {
        match self {
            Self::ConfigNotFound(_) | Self::DeploymentNotFound(_) => "NotFound",
            Self::UnknownConfig(_) => "Invalid",
            Self::ConfigInUse(_) => "InvalidRestrictedAction",
        }
    }

    /// Whether the client named something that does not exist (404), or sent a request that
    /// cannot be carried out (400).
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::ConfigNotFound(_) | Self::DeploymentNotFound(_))
    }
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::ConfigNotFound(id) => write!(f, "Software config with id {id} not found"),
            Self::DeploymentNotFound(id) => write!(f, "Deployment with id {id} not found"),
            Self::UnknownConfig(id) => {
                write!(
                    f,
                    "Data supplied was not valid: Config with id {id} not found"
                )
            }
            Self::ConfigInUse(id) => write!(
                f,
                "Software config with id {id} can not be deleted as it is referenced."
            ),
        }
    }
}

/// Configurations and deployments by id, with their creation order.
#[derive(Default)]
pub struct Store {
    configs: HashMap<String, StoredConfig>,
    deployments: HashMap<String, StoredDeployment>,
    /// Every object by creation sequence number: listing order and eviction order.
    order: BTreeMap<u64, Key>,
    /// How many deployments use each configuration that is in use.
    users: HashMap<String, usize>,
    next_seq: u64,
    bytes: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    Config(String),
    Deployment(String),
}

struct StoredConfig {
    project_id: String,
    seq: u64,
    config: SoftwareConfig,
    bytes: usize,
}

/// A deployment with what is never echoed back: its project and `stack_user_project_id`.
struct StoredDeployment {
    project_id: String,
    seq: u64,
    #[allow(
        dead_code,
        reason = "kept as Heat keeps it; no operation reads it back"
    )]
    stack_user_project_id: Option<String>,
    deployment: SoftwareDeployment,
    bytes: usize,
}

fn json_len<T: serde::Serialize>(value: &T) -> usize {
    serde_json::to_vec(value).map_or(0, |json| json.len())
}

impl Store {
    /// How many configurations and deployments are stored.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Bytes stored, as counted against [`Limits::max_bytes`].
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Stores a new configuration; what was omitted gets Heat's defaults.
    pub fn create_config(
        &mut self,
        limits: Limits,
        project_id: &str,
        body: CreateSoftwareConfigRequest,
        now: String,
    ) -> SoftwareConfig {
        let config = SoftwareConfig {
            id: uuid::Uuid::new_v4().to_string(),
            name: body.name,
            group: body.group.unwrap_or_else(|| DEFAULT_GROUP.to_owned()),
            config: body.config,
            inputs: body
                .inputs
                .unwrap_or_default()
                .into_iter()
                .map(|input| SoftwareConfigInput {
                    r#type: input.r#type.or_else(|| Some(DEFAULT_IO_TYPE.to_owned())),
                    // `value` belongs to the metadata view; a client cannot set it.
                    value: None,
                    ..input
                })
                .collect(),
            outputs: body
                .outputs
                .unwrap_or_default()
                .into_iter()
                .map(|output| SoftwareConfigOutput {
                    r#type: output.r#type.or_else(|| Some(DEFAULT_IO_TYPE.to_owned())),
                    error_output: output.error_output.or(Some(false)),
                    ..output
                })
                .collect(),
            options: body.options.flatten(),
            creation_time: now,
        };
        let bytes = json_len(&config) + project_id.len();
        self.make_room(limits, bytes, &[]);
        let seq = self.push(Key::Config(config.id.clone()), bytes);
        self.configs.insert(
            config.id.clone(),
            StoredConfig {
                project_id: project_id.to_owned(),
                seq,
                config: config.clone(),
                bytes,
            },
        );
        config
    }

    /// The project's configurations, newest first as Heat lists them: at most `limit`, after the
    /// configuration `marker`. Like Heat, an unknown marker starts from the newest.
    pub fn list_configs(
        &self,
        project_id: &str,
        limit: Option<usize>,
        marker: Option<&str>,
    ) -> Vec<SoftwareConfigSummary> {
        let start = marker
            .and_then(|id| self.config(project_id, id).ok())
            .map_or(u64::MAX, |stored| stored.seq);
        self.order
            .range(..start)
            .rev()
            .filter_map(|(_, key)| match key {
                Key::Config(id) => self.configs.get(id),
                Key::Deployment(_) => None,
            })
            .filter(|stored| stored.project_id == project_id)
            .take(limit.unwrap_or(usize::MAX))
            .map(|stored| SoftwareConfigSummary {
                id: stored.config.id.clone(),
                name: stored.config.name.clone(),
                group: stored.config.group.clone(),
                creation_time: stored.config.creation_time.clone(),
            })
            .collect()
    }

    /// One configuration of the project.
    pub fn show_config(&self, project_id: &str, id: &str) -> Result<SoftwareConfig, StoreError> {
        self.config(project_id, id)
            .map(|stored| stored.config.clone())
    }

    /// Deletes a configuration that no deployment uses.
    pub fn delete_config(&mut self, project_id: &str, id: &str) -> Result<(), StoreError> {
        self.config(project_id, id)?;
        if self.users.contains_key(id) {
            return Err(StoreError::ConfigInUse(id.to_owned()));
        }
        self.remove(&Key::Config(id.to_owned()));
        Ok(())
    }

    /// Stores a new deployment of an existing configuration of the project.
    pub fn create_deployment(
        &mut self,
        limits: Limits,
        project_id: &str,
        body: CreateSoftwareDeploymentRequest,
        now: String,
    ) -> Result<SoftwareDeployment, StoreError> {
        if self.config(project_id, &body.config_id).is_err() {
            return Err(StoreError::UnknownConfig(body.config_id));
        }
        // What Heat stores for omitted fields: input_values {}, the rest null.
        let deployment = SoftwareDeployment {
            id: uuid::Uuid::new_v4().to_string(),
            config_id: body.config_id,
            server_id: body.server_id,
            action: body.action,
            status: body.status,
            status_reason: body.status_reason,
            input_values: Some(body.input_values.unwrap_or_default()),
            output_values: None,
            creation_time: now,
            updated_time: None,
        };
        let bytes = json_len(&deployment)
            + project_id.len()
            + body.stack_user_project_id.as_ref().map_or(0, String::len);
        self.make_room(limits, bytes, &[&deployment.config_id]);
        let seq = self.push(Key::Deployment(deployment.id.clone()), bytes);
        *self.users.entry(deployment.config_id.clone()).or_default() += 1;
        self.deployments.insert(
            deployment.id.clone(),
            StoredDeployment {
                project_id: project_id.to_owned(),
                seq,
                stack_user_project_id: body.stack_user_project_id,
                deployment: deployment.clone(),
                bytes,
            },
        );
        Ok(deployment)
    }

    /// The project's deployments in creation order, only those of `server_id` if given.
    pub fn list_deployments(
        &self,
        project_id: &str,
        server_id: Option<&str>,
    ) -> Vec<SoftwareDeployment> {
        self.deployments_of(project_id)
            .filter(|d| server_id.is_none_or(|server| d.deployment.server_id == server))
            .map(|d| d.deployment.clone())
            .collect()
    }

    /// One deployment of the project.
    pub fn show_deployment(
        &self,
        project_id: &str,
        id: &str,
    ) -> Result<SoftwareDeployment, StoreError> {
        self.deployment(project_id, id)
            .map(|stored| stored.deployment.clone())
    }

    /// Applies the keys of `body` that are not null and sets `updated_time`; a new `config_id`
    /// must name a configuration of the project.
    pub fn update_deployment(
        &mut self,
        limits: Limits,
        project_id: &str,
        id: &str,
        body: UpdateSoftwareDeploymentRequest,
        now: String,
    ) -> Result<SoftwareDeployment, StoreError> {
        let mut deployment = self.deployment(project_id, id)?.deployment.clone();
        // Heat ignores null on update: absent (`None`) and null (`Some(None)`) both leave a
        // field as it is.
        let config_id = body.config_id.flatten();
        if let Some(config_id) = &config_id
            && self.config(project_id, config_id).is_err()
        {
            return Err(StoreError::UnknownConfig(config_id.clone()));
        }
        if let Some(config_id) = config_id {
            deployment.config_id = config_id;
        }
        if let Some(input_values) = body.input_values.flatten() {
            deployment.input_values = Some(input_values);
        }
        if let Some(output_values) = body.output_values.flatten() {
            deployment.output_values = Some(output_values);
        }
        if let Some(action) = body.action.flatten() {
            deployment.action = Some(action);
        }
        if let Some(status) = body.status.flatten() {
            deployment.status = Some(status);
        }
        if let Some(status_reason) = body.status_reason.flatten() {
            deployment.status_reason = Some(status_reason);
        }
        deployment.updated_time = Some(Some(now));

        let stored = &self.deployments[id];
        let old_bytes = stored.bytes;
        let old_config_id = stored.deployment.config_id.clone();
        let bytes = json_len(&deployment)
            + project_id.len()
            + stored.stack_user_project_id.as_ref().map_or(0, String::len);
        // The deployment and its new configuration stay (the old one is in use by it); older
        // objects make room for the growth.
        self.bytes -= old_bytes;
        self.make_room(
            Limits {
                max_objects: usize::MAX,
                ..limits
            },
            bytes,
            &[id, &deployment.config_id],
        );
        self.bytes += bytes;
        if old_config_id != deployment.config_id {
            self.release(&old_config_id);
            *self.users.entry(deployment.config_id.clone()).or_default() += 1;
        }
        let stored = self
            .deployments
            .get_mut(id)
            .expect("make_room keeps the protected deployment");
        stored.bytes = bytes;
        stored.deployment = deployment.clone();
        Ok(deployment)
    }

    /// Deletes a deployment.
    pub fn delete_deployment(&mut self, project_id: &str, id: &str) -> Result<(), StoreError> {
        self.deployment(project_id, id)?;
        self.remove(&Key::Deployment(id.to_owned()));
        Ok(())
    }

    /// What the server's agent reads: the configuration of each of the server's deployments,
    /// sorted by name as Heat sorts them, its inputs carrying the deployment's input values
    /// (the input's default where the deployment gives none; undeclared values are added as
    /// `String` inputs).
    pub fn server_metadata(&self, project_id: &str, server_id: &str) -> Vec<SoftwareConfig> {
        let mut configs: Vec<(u64, SoftwareConfig)> = self
            .deployments_of(project_id)
            .filter(|d| d.deployment.server_id == server_id)
            .filter_map(|d| {
                let stored = self.configs.get(&d.deployment.config_id)?;
                let mut values = d.deployment.input_values.clone().unwrap_or_default();
                let mut config = stored.config.clone();
                for input in &mut config.inputs {
                    let given = values.remove(&input.name);
                    input.value = Some(
                        given
                            .or_else(|| input.default.clone())
                            .unwrap_or(Value::Null),
                    );
                }
                config
                    .inputs
                    .extend(values.into_iter().map(|(name, value)| SoftwareConfigInput {
                        name,
                        r#type: Some(DEFAULT_IO_TYPE.to_owned()),
                        default: None,
                        description: None,
                        value: Some(value),
                    }));
                Some((d.seq, config))
            })
            .collect();
        configs.sort_by(|(a_seq, a), (b_seq, b)| (&a.name, a_seq).cmp(&(&b.name, b_seq)));
        configs.into_iter().map(|(_, config)| config).collect()
    }

    fn config(&self, project_id: &str, id: &str) -> Result<&StoredConfig, StoreError> {
        self.configs
            .get(id)
            .filter(|stored| stored.project_id == project_id)
            .ok_or_else(|| StoreError::ConfigNotFound(id.to_owned()))
    }

    fn deployment(&self, project_id: &str, id: &str) -> Result<&StoredDeployment, StoreError> {
        self.deployments
            .get(id)
            .filter(|stored| stored.project_id == project_id)
            .ok_or_else(|| StoreError::DeploymentNotFound(id.to_owned()))
    }

    /// The project's deployments in creation order.
    fn deployments_of<'s>(
        &'s self,
        project_id: &'s str,
    ) -> impl Iterator<Item = &'s StoredDeployment> + 's {
        self.order
            .values()
            .filter_map(|key| match key {
                Key::Deployment(id) => self.deployments.get(id),
                Key::Config(_) => None,
            })
            .filter(move |d| d.project_id == project_id)
    }

    fn push(&mut self, key: Key, bytes: usize) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.order.insert(seq, key);
        self.bytes += bytes;
        seq
    }

    /// Drops the oldest objects until one more object of `bytes` fits, except the `protected`
    /// ids and the configurations in use: a configuration goes after its last deployment, so no
    /// deployment refers to a configuration that is gone. An object larger than the whole budget
    /// is still stored.
    fn make_room(&mut self, limits: Limits, bytes: usize, protected: &[&str]) {
        let over = |store: &Store| {
            store.order.len() >= limits.max_objects.max(1) || store.bytes + bytes > limits.max_bytes
        };
        let mut cursor = 0;
        while over(self) {
            let Some((&seq, key)) = self.order.range(cursor..).next() else {
                break;
            };
            cursor = seq + 1;
            let keep = match key {
                Key::Config(id) => protected.contains(&id.as_str()) || self.users.contains_key(id),
                Key::Deployment(id) => protected.contains(&id.as_str()),
            };
            if !keep {
                let key = key.clone();
                self.remove(&key);
            }
        }
    }

    /// Removes an object (a configuration only once no deployment uses it).
    fn remove(&mut self, key: &Key) {
        match key {
            Key::Config(id) => {
                if let Some(stored) = self.configs.remove(id) {
                    self.order.remove(&stored.seq);
                    self.bytes -= stored.bytes;
                }
            }
            Key::Deployment(id) => {
                if let Some(stored) = self.deployments.remove(id) {
                    self.order.remove(&stored.seq);
                    self.bytes -= stored.bytes;
                    self.release(&stored.deployment.config_id);
                }
            }
        }
    }

    /// One deployment fewer uses `config_id`.
    fn release(&mut self, config_id: &str) {
        if let Some(count) = self.users.get_mut(config_id) {
            *count -= 1;
            if *count == 0 {
                self.users.remove(config_id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
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
        let config = store.create_config(LIMITS, "p", body, "t".to_owned());
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
        let body: UpdateSoftwareDeploymentRequest = serde_json::from_value(
            json!({"action": null, "status": "COMPLETE", "output_values": {"result": 1}}),
        )
        .unwrap();
        let updated = store
            .update_deployment(LIMITS, "p", &id, body, "later".to_owned())
            .unwrap();
        assert_eq!(updated.action, None);
        assert_eq!(
            updated.status,
            Some(rts_api::SoftwareDeploymentStatus::Complete)
        );
        assert_eq!(updated.input_values, Some(Default::default()));
        assert_eq!(
            updated.updated_time.clone().flatten().as_deref(),
            Some("later")
        );
        assert_eq!(store.show_deployment("p", &id).unwrap(), updated);

        let unknown = UpdateSoftwareDeploymentRequest {
            config_id: Some(Some("nope".to_owned())),
            ..Default::default()
        };
        assert_eq!(
            store.update_deployment(LIMITS, "p", &id, unknown, "x".to_owned()),
            Err(StoreError::UnknownConfig("nope".to_owned()))
        );
        let moved = UpdateSoftwareDeploymentRequest {
            config_id: Some(Some(second.clone())),
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
        let ids = |list: Vec<SoftwareDeployment>| -> Vec<String> {
            list.into_iter().map(|d| d.id).collect()
        };
        assert_eq!(ids(store.list_deployments("p", None)), [a.clone(), b]);
        assert_eq!(ids(store.list_deployments("p", Some("s1"))), [a]);
        assert!(store.list_deployments("p", Some("s3")).is_empty());
        assert!(store.list_deployments("other", None).is_empty());
    }

    #[test]
    fn metadata_carries_the_input_values() {
        let mut store = Store::default();
        let body: CreateSoftwareConfigRequest = serde_json::from_value(json!({
            "name": "b-config",
            "inputs": [{"name": "foo"}, {"name": "bar", "default": "dflt"}, {"name": "baz"}],
        }))
        .unwrap();
        let b = store.create_config(LIMITS, "p", body, "t".to_owned()).id;
        let a = config(&mut store, LIMITS, "p", "a-config");
        let body = CreateSoftwareDeploymentRequest {
            action: None,
            config_id: b.clone(),
            input_values: Some(
                serde_json::from_value(json!({"foo": "fooooo", "extra": [1]})).unwrap(),
            ),
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
        assert_eq!(metadata[1].id, b);
        assert_eq!(
            serde_json::to_value(&metadata[1].inputs).unwrap(),
            json!([
                {"name": "foo", "type": "String", "value": "fooooo"},
                {"name": "bar", "type": "String", "default": "dflt", "value": "dflt"},
                {"name": "baz", "type": "String", "value": null},
                {"name": "extra", "type": "String", "value": [1]},
            ])
        );
        // The stored configuration is unchanged.
        assert_eq!(store.show_config("p", &b).unwrap().inputs[0].value, None);
        assert!(store.server_metadata("p", "nobody").is_empty());
    }

    #[test]
    fn the_store_keeps_at_most_max_objects() {
        let limits = Limits {
            max_objects: 5,
            max_bytes: usize::MAX,
        };
        let mut store = Store::default();
        for i in 0..8 {
            config(&mut store, limits, "p", &format!("c{i}"));
        }
        assert_eq!(store.len(), 5);
        let names: Vec<_> = store
            .list_configs("p", None, None)
            .into_iter()
            .map(|c| c.name.unwrap())
            .collect();
        assert_eq!(names, ["c7", "c6", "c5", "c4", "c3"]);
    }

    #[test]
    fn a_config_in_use_outlives_eviction_until_its_last_deployment() {
        let limits = Limits {
            max_objects: 4,
            max_bytes: usize::MAX,
        };
        let mut store = Store::default();
        let old = config(&mut store, limits, "p", "old");
        let first = deployment(&mut store, limits, &old, "s").unwrap();
        let unused = config(&mut store, limits, "p", "unused");
        let second = deployment(&mut store, limits, &old, "s").unwrap();
        // Full: the oldest object, "old", is in use; the next oldest, a deployment, goes.
        let mut ids = vec![deployment(&mut store, limits, &old, "s").unwrap()];
        assert_eq!(store.len(), 4);
        assert!(store.show_deployment("p", &first).is_err());
        assert!(store.show_config("p", &old).is_ok());
        // Then the unused config, then the deployments, oldest first.
        ids.insert(0, second);
        ids.push(deployment(&mut store, limits, &old, "s").unwrap());
        assert!(store.show_config("p", &unused).is_err());
        // Every new deployment pushes out the oldest deployment, never the config it uses.
        for _ in 0..10 {
            ids.push(deployment(&mut store, limits, &old, "s").unwrap());
        }
        let kept: Vec<String> = store
            .list_deployments("p", None)
            .into_iter()
            .map(|d| d.id)
            .collect();
        assert_eq!(kept, ids[ids.len() - 3..]);
        assert!(store.show_config("p", &old).is_ok());
        // Once its deployments are gone, the config can go too.
        for id in &kept {
            store.delete_deployment("p", id).unwrap();
        }
        store.delete_config("p", &old).unwrap();
        assert!(store.is_empty());
        assert_eq!(store.bytes(), 0);
    }

    #[test]
    fn the_store_keeps_at_most_max_bytes() {
        let limits = Limits {
            max_objects: 10_000,
            max_bytes: 10_000,
        };
        let mut store = Store::default();
        for _ in 0..40 {
            config(&mut store, limits, "p", &"x".repeat(1000));
        }
        assert!(store.bytes() <= 10_000, "{}", store.bytes());
        assert!(store.len() >= 5, "{}", store.len());
        // One object larger than the whole budget is still kept, alone.
        config(&mut store, limits, "p", &"x".repeat(20_000));
        assert_eq!(store.len(), 1);
    }

    #[test]
    fn an_update_that_grows_keeps_the_deployment_and_its_config() {
        let limits = Limits {
            max_objects: 10_000,
            max_bytes: 4_500,
        };
        let mut store = Store::default();
        let c = config(&mut store, limits, "p", "c");
        let id = deployment(&mut store, limits, &c, "s").unwrap();
        for i in 0..3 {
            config(&mut store, limits, "p", &format!("filler{i}"));
        }
        let body: UpdateSoftwareDeploymentRequest =
            serde_json::from_value(json!({"output_values": {"deploy_stdout": "x".repeat(3700)}}))
                .unwrap();
        store
            .update_deployment(limits, "p", &id, body, "t".to_owned())
            .unwrap();
        assert!(store.show_deployment("p", &id).is_ok());
        assert!(store.show_config("p", &c).is_ok());
        assert!(store.bytes() <= 4_500, "{}", store.bytes());
        // Fillers made room; the deployment's config, although the oldest, stayed.
        assert!(store.list_configs("p", None, None).len() < 4);
    }
}
