//! The store: software configurations and deployments of every project, bounded in count and
//! bytes, with Heat's rules for what refers to what. It always serves from memory; opened on a
//! file ([`Store::open`]), it commits every change to SQLite before the change becomes visible.

mod database;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use rts_api::{
    CreateSoftwareConfigRequest, CreateSoftwareDeploymentRequest, SoftwareConfig,
    SoftwareConfigInput, SoftwareConfigOutput, SoftwareConfigSummary, SoftwareDeployment,
    SoftwareDeploymentStatus,
};
use serde_json::{Map, Value};

pub use database::OpenError;
use database::{Database, Loaded};

/// What Heat calls a configuration created without `group`.
pub const DEFAULT_GROUP: &str = "Heat::Ungrouped";

/// The type Heat gives an input or output declared without one.
const DEFAULT_IO_TYPE: &str = "String";

/// How much the store may hold; a create (or an update that grows) past them is refused.
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
    /// The store holds [`Limits::max_objects`] objects already (400).
    TooManyObjects(usize),
    /// The change would pass [`Limits::max_bytes`] (400).
    TooManyBytes(usize),
    /// The database failed to commit the change; nothing changed (500).
    Storage(String),
}

impl StoreError {
    /// Heat's exception name, which it sends as `error.type`.
    pub fn heat_type(&self) -> &'static str {
        match self {
            Self::ConfigNotFound(_) | Self::DeploymentNotFound(_) => "NotFound",
            Self::UnknownConfig(_) => "Invalid",
            Self::ConfigInUse(_) => "InvalidRestrictedAction",
            Self::TooManyObjects(_) | Self::TooManyBytes(_) => "RequestLimitExceeded",
            Self::Storage(_) => "HTTPInternalServerError",
        }
    }

    /// Whether the client named something that does not exist (404).
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::ConfigNotFound(_) | Self::DeploymentNotFound(_))
    }

    /// Whether the server failed (500) rather than refused the request (400 or 404).
    pub fn is_server_failure(&self) -> bool {
        matches!(self, Self::Storage(_))
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
            // Heat's RequestLimitExceeded: "Request limit exceeded: %(message)s".
            Self::TooManyObjects(max) => write!(
                f,
                "Request limit exceeded: You have reached the maximum software configs and \
                 deployments, {max}. Please delete some software configs or deployments."
            ),
            Self::TooManyBytes(max) => write!(
                f,
                "Request limit exceeded: Storing this would pass the maximum bytes of software \
                 configs and deployments, {max}. Please delete some software configs or \
                 deployments."
            ),
            Self::Storage(detail) => write!(f, "The change could not be stored: {detail}"),
        }
    }
}

/// What an update may change; `None` leaves a field as it is (Heat applies only keys that are
/// not null).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeploymentChanges {
    /// Another configuration of the project to deploy.
    pub config_id: Option<String>,
    /// New input values (replacing the old ones).
    pub input_values: Option<Map<String, Value>>,
    /// New output values (replacing the old ones).
    pub output_values: Option<Map<String, Value>>,
    /// New action.
    pub action: Option<String>,
    /// New status.
    pub status: Option<SoftwareDeploymentStatus>,
    /// New status reason.
    pub status_reason: Option<String>,
}

/// Configurations and deployments by id, with their creation order; optionally backed by a
/// database that every change is committed to first.
#[derive(Default)]
pub struct Store {
    configs: HashMap<String, StoredConfig>,
    deployments: HashMap<String, StoredDeployment>,
    /// Every object by creation sequence number: listing order.
    order: BTreeMap<i64, Key>,
    /// How many deployments use each configuration that is in use.
    users: HashMap<String, usize>,
    next_seq: i64,
    bytes: usize,
    database: Option<Database>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    Config(String),
    Deployment(String),
}

struct StoredConfig {
    project_id: String,
    seq: i64,
    config: SoftwareConfig,
    bytes: usize,
}

/// A deployment with what is never echoed back: its project and `stack_user_project_id`.
struct StoredDeployment {
    project_id: String,
    seq: i64,
    stack_user_project_id: Option<String>,
    deployment: SoftwareDeployment,
    bytes: usize,
}

fn json_len<T: serde::Serialize>(value: &T) -> usize {
    serde_json::to_vec(value).map_or(0, |json| json.len())
}

fn config_bytes(project_id: &str, config: &SoftwareConfig) -> usize {
    json_len(config) + project_id.len()
}

fn deployment_bytes(
    project_id: &str,
    stack_user_project_id: Option<&str>,
    deployment: &SoftwareDeployment,
) -> usize {
    json_len(deployment) + project_id.len() + stack_user_project_id.map_or(0, str::len)
}

fn storage(error: rusqlite::Error) -> StoreError {
    StoreError::Storage(error.to_string())
}

impl Store {
    /// The store kept in the SQLite database at `path` (created if missing), with everything
    /// it holds. The file stays locked for this store until it is dropped.
    pub fn open(path: &Path) -> Result<Store, OpenError> {
        let (database, loaded) = Database::open(path)?;
        let mut store = Store::default();
        for row in loaded {
            match row {
                Loaded::Config {
                    seq,
                    project_id,
                    config,
                } => store.insert_config(seq, project_id, config),
                Loaded::Deployment {
                    seq,
                    project_id,
                    stack_user_project_id,
                    deployment,
                } => store.insert_deployment(seq, project_id, stack_user_project_id, deployment),
            }
        }
        store.next_seq = store.order.keys().next_back().map_or(0, |seq| seq + 1);
        store.database = Some(database);
        Ok(store)
    }

    /// Whether changes are committed to a database.
    pub fn is_durable(&self) -> bool {
        self.database.is_some()
    }

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
    ) -> Result<SoftwareConfig, StoreError> {
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
                    // Only configurations Heat derives itself carry a value.
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
        self.check_room(limits, 1, config_bytes(project_id, &config), 0)?;
        let seq = self.next_seq;
        if let Some(database) = &mut self.database {
            database
                .insert_config(seq, project_id, &config)
                .map_err(storage)?;
        }
        self.next_seq += 1;
        self.insert_config(seq, project_id.to_owned(), config.clone());
        Ok(config)
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
            .map_or(i64::MAX, |stored| stored.seq);
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
        if let Some(database) = &mut self.database {
            database.delete_config(id).map_err(storage)?;
        }
        if let Some(stored) = self.configs.remove(id) {
            self.order.remove(&stored.seq);
            self.bytes -= stored.bytes;
        }
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
        let stack_user_project_id = body.stack_user_project_id;
        let bytes = deployment_bytes(project_id, stack_user_project_id.as_deref(), &deployment);
        self.check_room(limits, 1, bytes, 0)?;
        let seq = self.next_seq;
        if let Some(database) = &mut self.database {
            database
                .insert_deployment(
                    seq,
                    project_id,
                    stack_user_project_id.as_deref(),
                    &deployment,
                )
                .map_err(storage)?;
        }
        self.next_seq += 1;
        self.insert_deployment(
            seq,
            project_id.to_owned(),
            stack_user_project_id,
            deployment.clone(),
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

    /// Applies `changes` and sets `updated_time`; a new `config_id` must name a configuration
    /// of the project.
    pub fn update_deployment(
        &mut self,
        limits: Limits,
        project_id: &str,
        id: &str,
        changes: DeploymentChanges,
        now: String,
    ) -> Result<SoftwareDeployment, StoreError> {
        let stored = self.deployment(project_id, id)?;
        let mut deployment = stored.deployment.clone();
        let old_bytes = stored.bytes;
        let old_config_id = stored.deployment.config_id.clone();
        let stack_user_project_id = stored.stack_user_project_id.clone();
        if let Some(config_id) = &changes.config_id
            && self.config(project_id, config_id).is_err()
        {
            return Err(StoreError::UnknownConfig(config_id.clone()));
        }
        if let Some(config_id) = changes.config_id {
            deployment.config_id = config_id;
        }
        if let Some(input_values) = changes.input_values {
            deployment.input_values = Some(input_values);
        }
        if let Some(output_values) = changes.output_values {
            deployment.output_values = Some(output_values);
        }
        if changes.action.is_some() {
            deployment.action = changes.action;
        }
        if changes.status.is_some() {
            deployment.status = changes.status;
        }
        if changes.status_reason.is_some() {
            deployment.status_reason = changes.status_reason;
        }
        deployment.updated_time = Some(Some(now));

        let bytes = deployment_bytes(project_id, stack_user_project_id.as_deref(), &deployment);
        self.check_room(limits, 0, bytes, old_bytes)?;
        if let Some(database) = &mut self.database {
            database.update_deployment(&deployment).map_err(storage)?;
        }
        self.bytes = self.bytes - old_bytes + bytes;
        if old_config_id != deployment.config_id {
            self.release(&old_config_id);
            *self.users.entry(deployment.config_id.clone()).or_default() += 1;
        }
        let stored = self
            .deployments
            .get_mut(id)
            .expect("the deployment was found above");
        stored.bytes = bytes;
        stored.deployment = deployment.clone();
        Ok(deployment)
    }

    /// Deletes a deployment.
    pub fn delete_deployment(&mut self, project_id: &str, id: &str) -> Result<(), StoreError> {
        self.deployment(project_id, id)?;
        if let Some(database) = &mut self.database {
            database.delete_deployment(id).map_err(storage)?;
        }
        if let Some(stored) = self.deployments.remove(id) {
            self.order.remove(&stored.seq);
            self.bytes -= stored.bytes;
            self.release(&stored.deployment.config_id);
        }
        Ok(())
    }

    /// What the server's agent reads, as Heat answers it: the configuration of each of the
    /// server's deployments exactly as [`Store::show_config`] shows it, sorted by name (the
    /// deployments' input values are not merged in).
    pub fn server_metadata(&self, project_id: &str, server_id: &str) -> Vec<SoftwareConfig> {
        let mut configs: Vec<(i64, &SoftwareConfig)> = self
            .deployments_of(project_id)
            .filter(|d| d.deployment.server_id == server_id)
            .filter_map(|d| {
                let stored = self.configs.get(&d.deployment.config_id)?;
                Some((d.seq, &stored.config))
            })
            .collect();
        configs.sort_by(|(a_seq, a), (b_seq, b)| (&a.name, a_seq).cmp(&(&b.name, b_seq)));
        configs
            .into_iter()
            .map(|(_, config)| config.clone())
            .collect()
    }

    /// Refuses a change that adds `objects` objects and replaces `freed` bytes by `bytes`
    /// if the store would then pass `limits`.
    fn check_room(
        &self,
        limits: Limits,
        objects: usize,
        bytes: usize,
        freed: usize,
    ) -> Result<(), StoreError> {
        if objects > 0 && self.len() + objects > limits.max_objects {
            return Err(StoreError::TooManyObjects(limits.max_objects));
        }
        if bytes > freed && self.bytes - freed + bytes > limits.max_bytes {
            return Err(StoreError::TooManyBytes(limits.max_bytes));
        }
        Ok(())
    }

    fn insert_config(&mut self, seq: i64, project_id: String, config: SoftwareConfig) {
        let bytes = config_bytes(&project_id, &config);
        self.order.insert(seq, Key::Config(config.id.clone()));
        self.bytes += bytes;
        self.configs.insert(
            config.id.clone(),
            StoredConfig {
                project_id,
                seq,
                config,
                bytes,
            },
        );
    }

    fn insert_deployment(
        &mut self,
        seq: i64,
        project_id: String,
        stack_user_project_id: Option<String>,
        deployment: SoftwareDeployment,
    ) {
        let bytes = deployment_bytes(&project_id, stack_user_project_id.as_deref(), &deployment);
        self.order
            .insert(seq, Key::Deployment(deployment.id.clone()));
        self.bytes += bytes;
        *self.users.entry(deployment.config_id.clone()).or_default() += 1;
        self.deployments.insert(
            deployment.id.clone(),
            StoredDeployment {
                project_id,
                seq,
                stack_user_project_id,
                deployment,
                bytes,
            },
        );
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
