"""Runs software deployment lifecycles against an RTS server with real OpenStack clients.

Usage: openstack_clients.py BASE_URL TOKEN PROJECT_ID

BASE_URL is the server's root (``http://127.0.0.1:8004``). Two clients, each with its stock
settings, create a software configuration and a deployment of it, list, show and update the
deployment, read the server's metadata, delete both and see them gone:

- openstacksdk, with token authentication and no Keystone: the orchestration endpoint is given
  as an override and the SDK discovers the API version on it, as it does for any cloud;
- python-heatclient's ``Client('1', endpoint=..., token=...)``.

Prints one line per step and exits non-zero at the first step that does not behave like Heat.
"""

import sys
import uuid

import openstack
from heatclient import client as heat_client
from heatclient import exc as heat_exc

SCRIPT = "#!/bin/sh -x\necho $foo > /tmp/$bar\necho -n done > $heat_outputs_path.result"
INPUTS = [{"name": "foo", "type": "String"}, {"name": "bar", "type": "String", "default": "baaaaa"}]
OUTPUTS = [{"name": "result", "type": "String", "error_output": False}]


def step(client, what):
    print(f"{client}: {what}", flush=True)


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def sdk_lifecycle(base_url, token, project_id):
    """The lifecycle through openstacksdk's orchestration proxy."""
    client = "openstacksdk"
    endpoint = f"{base_url}/v1/{project_id}"
    conn = openstack.connection.Connection(
        auth_type="admin_token",
        auth={"endpoint": endpoint, "token": token},
        orchestration_endpoint_override=endpoint,
    )
    server_id = str(uuid.uuid4())
    orchestration = conn.orchestration

    step(client, f"version discovery on {endpoint}")
    expect(
        orchestration.get_endpoint().rstrip("/") == endpoint,
        f"the SDK uses {orchestration.get_endpoint()!r}, not {endpoint!r}",
    )

    step(client, "create a software config")
    config = orchestration.create_software_config(
        name="sdk-config", group="script", config=SCRIPT, inputs=INPUTS, outputs=OUTPUTS
    )
    expect(config.id and config.group == "script", f"config: {config}")
    expect(config.inputs[0]["type"] == "String", f"inputs: {config.inputs}")

    step(client, "show it and find it in the paged list")
    shown = orchestration.get_software_config(config.id)
    expect(shown.config == SCRIPT and shown.name == "sdk-config", f"shown: {shown}")
    # The SDK pages with limit and marker until a page comes back empty.
    listed = [c.id for c in orchestration.software_configs(limit=1)]
    expect(config.id in listed, f"{config.id} not in {listed}")
    expect(len(listed) == len(set(listed)), f"paging repeats configs: {listed}")

    step(client, "create a deployment of it")
    deployment = orchestration.create_software_deployment(
        config_id=config.id,
        server_id=server_id,
        action="CREATE",
        status="IN_PROGRESS",
        input_values={"foo": "fooooo"},
    )
    expect(deployment.id and deployment.config_id == config.id, f"deployment: {deployment}")
    expect(deployment.status == "IN_PROGRESS", f"status: {deployment.status}")

    step(client, "list and show it")
    mine = [d.id for d in orchestration.software_deployments(server_id=server_id)]
    expect(mine == [deployment.id], f"deployments of the server: {mine}")
    shown = orchestration.get_software_deployment(deployment.id)
    expect(shown.input_values == {"foo": "fooooo"}, f"input_values: {shown.input_values}")

    step(client, "update it with outputs")
    outputs = {"deploy_stdout": "done", "deploy_stderr": "", "deploy_status_code": 0}
    updated = orchestration.update_software_deployment(
        deployment.id, status="COMPLETE", status_reason="Outputs received", output_values=outputs
    )
    expect(updated.status == "COMPLETE", f"status: {updated.status}")
    expect(updated.output_values == outputs, f"output_values: {updated.output_values}")
    expect(updated.action == "CREATE", f"action: {updated.action}")
    shown = orchestration.get_software_deployment(deployment.id)
    expect(shown.updated_at, f"updated_time: {shown.updated_at}")

    step(client, "a deployment of an unknown config is refused")
    try:
        orchestration.create_software_deployment(config_id=str(uuid.uuid4()), server_id=server_id)
    except openstack.exceptions.BadRequestException as error:
        expect("Config with id" in str(error), f"message: {error}")
    else:
        raise AssertionError("a deployment of an unknown config was created")

    step(client, "delete the deployment and the config; both are gone")
    orchestration.delete_software_deployment(deployment.id)
    try:
        orchestration.get_software_deployment(deployment.id)
    except openstack.exceptions.NotFoundException as error:
        expect("not found" in str(error), f"message: {error}")
    else:
        raise AssertionError("the deleted deployment is still there")
    orchestration.delete_software_config(config.id)
    try:
        orchestration.get_software_config(config.id)
    except openstack.exceptions.NotFoundException:
        pass
    else:
        raise AssertionError("the deleted config is still there")


def heatclient_lifecycle(base_url, token, project_id):
    """The lifecycle through python-heatclient's managers."""
    client = "heatclient"
    endpoint = f"{base_url}/v1/{project_id}"
    heat = heat_client.Client("1", endpoint=endpoint, token=token)
    server_id = str(uuid.uuid4())

    step(client, "create a software config")
    config = heat.software_configs.create(
        name="heat-config", group="script", config=SCRIPT, inputs=INPUTS, outputs=OUTPUTS
    )
    expect(config.id and config.group == "script", f"config: {config}")

    step(client, "show it and list it")
    shown = heat.software_configs.get(config_id=config.id)
    expect(shown.config == SCRIPT, f"shown: {shown}")
    listed = [c.id for c in heat.software_configs.list(limit=10)]
    expect(config.id in listed, f"{config.id} not in {listed}")

    step(client, "create a deployment of it")
    deployment = heat.software_deployments.create(
        config_id=config.id,
        server_id=server_id,
        action="CREATE",
        status="IN_PROGRESS",
        input_values={"foo": "fooooo", "bar": "baaaaa"},
    )
    expect(deployment.config_id == config.id, f"deployment: {deployment}")

    step(client, "list and show it")
    mine = [d.id for d in heat.software_deployments.list(server_id=server_id)]
    expect(mine == [deployment.id], f"deployments of the server: {mine}")
    shown = heat.software_deployments.get(deployment_id=deployment.id)
    expect(shown.status == "IN_PROGRESS", f"status: {shown.status}")

    step(client, "update it with outputs")
    updated = heat.software_deployments.update(
        deployment_id=deployment.id,
        status="COMPLETE",
        status_reason="Outputs received",
        output_values={"result": "done"},
    )
    expect(updated.status == "COMPLETE", f"status: {updated.status}")
    expect(updated.updated_time, f"updated_time: {updated.updated_time}")
    expect(updated.action == "CREATE", f"action: {updated.action}")

    step(client, "read the server's metadata")
    metadata = heat.software_deployments.metadata(server_id=server_id)
    configs = metadata if isinstance(metadata, list) else metadata.get("metadata", metadata)
    expect(len(configs) == 1 and configs[0]["id"] == config.id, f"metadata: {metadata}")
    # As Heat answers: the config as showing it answers, the input values not merged in.
    shown = heat.software_configs.get(config_id=config.id).to_dict()
    expect(configs[0] == shown, f"metadata: {configs[0]} shown: {shown}")
    expect(all("value" not in i for i in configs[0]["inputs"]), f"inputs: {configs[0]['inputs']}")

    step(client, "a config in use cannot be deleted")
    try:
        heat.software_configs.delete(config_id=config.id)
    except heat_exc.HTTPBadRequest as error:
        expect("referenced" in str(error), f"message: {error}")
    else:
        raise AssertionError("a config in use was deleted")

    step(client, "delete the deployment and the config; both are gone")
    heat.software_deployments.delete(deployment_id=deployment.id)
    try:
        heat.software_deployments.get(deployment_id=deployment.id)
    except heat_exc.HTTPNotFound as error:
        expect("not found" in str(error), f"message: {error}")
    else:
        raise AssertionError("the deleted deployment is still there")
    heat.software_configs.delete(config_id=config.id)
    try:
        heat.software_configs.get(config_id=config.id)
    except heat_exc.HTTPNotFound:
        pass
    else:
        raise AssertionError("the deleted config is still there")


def main(argv):
    if len(argv) != 4:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    base_url, token, project_id = argv[1].rstrip("/"), argv[2], argv[3]
    failed = 0
    for name, lifecycle in [("openstacksdk", sdk_lifecycle), ("heatclient", heatclient_lifecycle)]:
        try:
            lifecycle(base_url, token, project_id)
            print(f"{name}: lifecycle passed", flush=True)
        except Exception as error:  # noqa: BLE001 - every failure is reported the same way
            failed += 1
            print(f"{name}: FAILED: {type(error).__name__}: {error}", flush=True)
    print(f"{2 - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
