//! The crash test: writers create, update and delete configurations and deployments against
//! `rts-server --data` while a reader checks what lists and shows answer; the server is killed
//! with SIGKILL at random moments and restarted. After every restart each acknowledged change
//! (200 for a create or update, 204 for a delete) must be there exactly, and nothing else but
//! the whole objects of creates that were in flight. Set `RTS_CRASH_SEED` to replay a run.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::{Scratch, TOKEN, serve};
use reqwest::{Method, StatusCode};
use rts_api::{SoftwareConfig, SoftwareConfigList, SoftwareDeploymentList};
use serde_json::{Value, json};

const KILLS: usize = 22;
const WRITERS: usize = 4;

/// xorshift64*: enough randomness for choosing operations and kill moments.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// What a writer knows of one object.
#[derive(Debug, Clone)]
enum Known {
    /// Acknowledged, as last answered.
    Present(Value),
    /// Its delete was acknowledged.
    Deleted,
    /// A delete was sent but not answered.
    MaybeDeleted(Value),
    /// An update with this body was sent but not answered.
    MaybeUpdated(Value, Value),
}

/// One writer's objects: its configurations are named `w{n}-...` and its deployments are on
/// server `w{n}`, so that no other writer touches them and each object sees one change at a
/// time.
#[derive(Default)]
struct Writer {
    index: usize,
    configs: BTreeMap<String, Known>,
    deployments: BTreeMap<String, Known>,
    /// Creates sent but not answered, which may or may not have been stored.
    pending_configs: usize,
    pending_deployments: usize,
    counter: usize,
    acknowledged: usize,
}

fn present(map: &BTreeMap<String, Known>) -> Vec<(String, Value)> {
    map.iter()
        .filter_map(|(id, known)| match known {
            Known::Present(value) => Some((id.clone(), value.clone())),
            _ => None,
        })
        .collect()
}

struct Client {
    http: reqwest::Client,
    base: String,
}

impl Client {
    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<(StatusCode, Value), reqwest::Error> {
        let url = format!("{}/v1/{}{path}", self.base, common::PROJECT);
        let mut request = self.http.request(method, url).header("X-Auth-Token", TOKEN);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await?;
        let status = response.status();
        let text = response.text().await?;
        Ok((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
    }
}

impl Writer {
    /// Writes until the server stops answering; leaves the one unanswered change pending.
    async fn run(mut self, client: Arc<Client>, mut rng: Rng, stop: Arc<AtomicBool>) -> Writer {
        while !stop.load(Ordering::Relaxed) {
            if !self.step(&client, &mut rng).await {
                break;
            }
        }
        self
    }

    /// One change; false once the server did not answer.
    async fn step(&mut self, client: &Client, rng: &mut Rng) -> bool {
        let configs = present(&self.configs);
        let deployments = present(&self.deployments);
        let in_use = |id: &str| deployments.iter().any(|(_, d)| d["config_id"] == id);
        let roll = rng.below(100);
        self.counter += 1;
        let n = self.counter;
        if configs.len() < 2 || (roll < 20 && configs.len() < 10) {
            let body = json!({"name": format!("w{}-{n}", self.index), "group": "script",
                "config": format!("#!/bin/sh\necho {n}"), "inputs": [{"name": "foo"}]});
            let Ok((status, answer)) = client
                .call(Method::POST, "/software_configs", Some(body))
                .await
            else {
                self.pending_configs += 1;
                return false;
            };
            assert_eq!(status, StatusCode::OK, "{answer}");
            let config = answer["software_config"].clone();
            let id = config["id"].as_str().unwrap().to_owned();
            self.configs.insert(id, Known::Present(config));
        } else if (roll < 45 || deployments.is_empty()) && deployments.len() < 12 {
            let (config_id, _) = &configs[rng.below(configs.len())];
            let body = json!({"config_id": config_id, "server_id": format!("w{}", self.index),
                "action": "CREATE", "status": "IN_PROGRESS", "input_values": {"foo": n}});
            let Ok((status, answer)) = client
                .call(Method::POST, "/software_deployments", Some(body))
                .await
            else {
                self.pending_deployments += 1;
                return false;
            };
            assert_eq!(status, StatusCode::OK, "{answer}");
            let deployment = answer["software_deployment"].clone();
            let id = deployment["id"].as_str().unwrap().to_owned();
            self.deployments.insert(id, Known::Present(deployment));
        } else if roll < 75 && !deployments.is_empty() {
            let (id, old) = &deployments[rng.below(deployments.len())];
            let mut body = json!({"status": "COMPLETE", "output_values": {"n": n}});
            if rng.below(3) == 0 {
                body["config_id"] = json!(configs[rng.below(configs.len())].0);
            }
            let path = format!("/software_deployments/{id}");
            let Ok((status, answer)) = client.call(Method::PUT, &path, Some(body.clone())).await
            else {
                self.deployments
                    .insert(id.clone(), Known::MaybeUpdated(old.clone(), body));
                return false;
            };
            assert_eq!(status, StatusCode::OK, "{answer}");
            let updated = answer["software_deployment"].clone();
            assert!(
                is_update_of(old, &body, &updated),
                "{old} + {body} = {updated}"
            );
            self.deployments.insert(id.clone(), Known::Present(updated));
        } else if roll < 90 && !deployments.is_empty() {
            let (id, old) = &deployments[rng.below(deployments.len())];
            let path = format!("/software_deployments/{id}");
            let Ok((status, answer)) = client.call(Method::DELETE, &path, None).await else {
                self.deployments
                    .insert(id.clone(), Known::MaybeDeleted(old.clone()));
                return false;
            };
            assert_eq!(status, StatusCode::NO_CONTENT, "{answer}");
            self.deployments.insert(id.clone(), Known::Deleted);
        } else {
            let (id, old) = &configs[rng.below(configs.len())];
            let path = format!("/software_configs/{id}");
            let Ok((status, answer)) = client.call(Method::DELETE, &path, None).await else {
                self.configs
                    .insert(id.clone(), Known::MaybeDeleted(old.clone()));
                return false;
            };
            if in_use(id) {
                // Heat refuses to delete a configuration in use, and so must the server.
                assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
                assert_eq!(answer["error"]["type"], "InvalidRestrictedAction");
            } else {
                assert_eq!(status, StatusCode::NO_CONTENT, "{answer}");
                self.configs.insert(id.clone(), Known::Deleted);
            }
        }
        self.acknowledged += 1;
        true
    }
}

/// Whether `updated` is `old` with the keys of `body` applied (and `updated_time` set).
fn is_update_of(old: &Value, body: &Value, updated: &Value) -> bool {
    let mut expected = old.clone();
    for (key, value) in body.as_object().unwrap() {
        expected[key] = value.clone();
    }
    expected["updated_time"] = updated["updated_time"].clone();
    updated["updated_time"].is_string() && *updated == expected
}

/// Checks the restarted server against every writer's knowledge, and resolves what was in
/// flight into what the server shows. Returns how many objects were checked.
async fn verify(client: &Client, writers: &mut [Writer]) -> usize {
    let (status, configs) = client
        .call(Method::GET, "/software_configs", None)
        .await
        .unwrap();
    assert_eq!(status, StatusCode::OK);
    let configs: SoftwareConfigList = serde_json::from_value(configs).expect("whole configs");
    let mut shown_configs = BTreeMap::new();
    for summary in &configs.software_configs {
        let path = format!("/software_configs/{}", summary.id);
        let (status, shown) = client.call(Method::GET, &path, None).await.unwrap();
        assert_eq!(status, StatusCode::OK);
        let config = shown["software_config"].clone();
        let _: SoftwareConfig = serde_json::from_value(config.clone()).expect("a whole config");
        shown_configs.insert(summary.id.clone(), config);
    }
    let (status, deployments) = client
        .call(Method::GET, "/software_deployments", None)
        .await
        .unwrap();
    assert_eq!(status, StatusCode::OK);
    let list: SoftwareDeploymentList =
        serde_json::from_value(deployments.clone()).expect("whole deployments");
    let mut shown_deployments: BTreeMap<String, Value> = list
        .software_deployments
        .iter()
        .zip(deployments["software_deployments"].as_array().unwrap())
        .map(|(typed, raw)| (typed.id.clone(), raw.clone()))
        .collect();
    for deployment in shown_deployments.values() {
        let config_id = deployment["config_id"].as_str().unwrap();
        assert!(
            shown_configs.contains_key(config_id),
            "deployment {deployment} points at a missing config"
        );
    }
    let checked = shown_configs.len() + shown_deployments.len();

    let mut shown_configs = shown_configs;
    for writer in writers.iter_mut() {
        resolve(&mut writer.configs, &mut shown_configs, "config");
        resolve(
            &mut writer.deployments,
            &mut shown_deployments,
            "deployment",
        );
    }
    // What is left was created by a create that was not answered: adopt it, by its owner.
    for (id, config) in shown_configs {
        let name = config["name"].as_str().unwrap();
        let owner: usize = name[1..name.find('-').unwrap()].parse().unwrap();
        let writer = &mut writers[owner];
        assert!(
            writer.pending_configs > 0,
            "config {config} was never created"
        );
        writer.pending_configs -= 1;
        writer.configs.insert(id, Known::Present(config));
    }
    for (id, deployment) in shown_deployments {
        let owner: usize = deployment["server_id"].as_str().unwrap()[1..]
            .parse()
            .unwrap();
        let writer = &mut writers[owner];
        assert!(
            writer.pending_deployments > 0,
            "deployment {deployment} was never created"
        );
        writer.pending_deployments -= 1;
        writer.deployments.insert(id, Known::Present(deployment));
    }
    for writer in writers.iter_mut() {
        writer.pending_configs = 0;
        writer.pending_deployments = 0;
    }
    checked
}

/// Matches a writer's objects of one kind with what the server shows, removing those from
/// `shown`.
fn resolve(known: &mut BTreeMap<String, Known>, shown: &mut BTreeMap<String, Value>, kind: &str) {
    for (id, state) in known.iter_mut() {
        let actual = shown.remove(id);
        *state = match (state.clone(), actual) {
            (Known::Present(expected), Some(actual)) => {
                assert_eq!(actual, expected, "{kind} {id} changed");
                Known::Present(actual)
            }
            (Known::Present(expected), None) => panic!("acknowledged {kind} {id} lost: {expected}"),
            (Known::Deleted, None) => Known::Deleted,
            (Known::Deleted, Some(actual)) => panic!("deleted {kind} {id} is back: {actual}"),
            (Known::MaybeDeleted(_), None) => Known::Deleted,
            (Known::MaybeDeleted(expected), Some(actual)) => {
                assert_eq!(actual, expected, "{kind} {id} changed");
                Known::Present(actual)
            }
            (Known::MaybeUpdated(old, body), Some(actual)) => {
                assert!(
                    actual == old || is_update_of(&old, &body, &actual),
                    "{kind} {id} is neither {old} nor it updated with {body}: {actual}"
                );
                Known::Present(actual)
            }
            (Known::MaybeUpdated(old, _), None) => panic!("acknowledged {kind} {id} lost: {old}"),
        };
    }
}

/// Reads while the writers write: lists parse into whole objects, and a deployment's
/// configuration is there as long as the deployment is.
async fn read(client: Arc<Client>, stop: Arc<AtomicBool>) -> usize {
    let mut reads = 0;
    while !stop.load(Ordering::Relaxed) {
        let Ok((status, list)) = client
            .call(Method::GET, "/software_deployments", None)
            .await
        else {
            break;
        };
        assert_eq!(status, StatusCode::OK);
        let list: SoftwareDeploymentList = serde_json::from_value(list).expect("whole objects");
        reads += 1;
        for deployment in list.software_deployments.iter().rev().take(3) {
            let config = format!("/software_configs/{}", deployment.config_id);
            let Ok((status, _)) = client.call(Method::GET, &config, None).await else {
                return reads;
            };
            if status == StatusCode::NOT_FOUND {
                // Only once the deployment is gone too, or was moved to another configuration
                // (a writer may update it and then delete the configuration it left).
                let path = format!("/software_deployments/{}", deployment.id);
                let Ok((status, shown)) = client.call(Method::GET, &path, None).await else {
                    return reads;
                };
                let moved = status == StatusCode::OK
                    && shown["software_deployment"]["config_id"] != deployment.config_id.as_str();
                assert!(
                    status == StatusCode::NOT_FOUND || moved,
                    "{deployment:?} lost its config: {status} {shown}"
                );
            } else {
                assert_eq!(status, StatusCode::OK);
            }
            reads += 1;
        }
    }
    reads
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_sigkill() {
    let seed = std::env::var("RTS_CRASH_SEED")
        .ok()
        .and_then(|seed| seed.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    println!("RTS_CRASH_SEED={seed}");
    let mut rng = Rng(seed);
    let scratch = Scratch::new("crash");
    let data = scratch.path("rts.db");
    let args = ["--data", data.to_str().unwrap()];
    let started = Instant::now();
    let mut writers: Vec<Writer> = (0..WRITERS)
        .map(|index| Writer {
            index,
            ..Writer::default()
        })
        .collect();
    let (mut acknowledged, mut checked, mut reads) = (0, 0, 0);
    for _ in 0..KILLS {
        let mut server = serve(&scratch.path("log"), &args);
        let client = Arc::new(Client {
            http: reqwest::Client::new(),
            base: server.addr.clone(),
        });
        checked += verify(&client, &mut writers).await;
        let stop = Arc::new(AtomicBool::new(false));
        let tasks: Vec<_> = writers
            .drain(..)
            .map(|writer| {
                let rng = Rng(rng.next() | 1);
                tokio::spawn(writer.run(Arc::clone(&client), rng, Arc::clone(&stop)))
            })
            .collect();
        let reader = tokio::spawn(read(Arc::clone(&client), Arc::clone(&stop)));
        tokio::time::sleep(Duration::from_millis(20 + rng.below(180) as u64)).await;
        server.kill();
        stop.store(true, Ordering::Relaxed);
        for task in tasks {
            writers.push(task.await.expect("a writer's checks hold"));
        }
        reads += reader.await.expect("the reader's checks hold");
        acknowledged = writers.iter().map(|w| w.acknowledged).sum();
    }
    let server = serve(&scratch.path("log"), &args);
    let client = Client {
        http: reqwest::Client::new(),
        base: server.addr.clone(),
    };
    checked += verify(&client, &mut writers).await;
    println!(
        "{KILLS} kills, {acknowledged} acknowledged changes, {checked} objects checked after \
         restarts, {reads} reads during writes, {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert!(
        acknowledged > KILLS,
        "too few changes to test anything: {acknowledged}"
    );
}
