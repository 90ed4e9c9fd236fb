"""Drives the registry with py-consul, an unmodified Consul client library, as a tool written for Consul would.

Usage: python consul-client-check.py HOST PORT [TOKEN]   (exits non-zero on the first difference from Consul's behaviour)
TOKEN: a token that may write the service "consul-tool" (the management token); with it, the check also shows that a
client without a token is refused as Consul refuses it.
"""
import sys

import consul

host, port = sys.argv[1], int(sys.argv[2])
token = sys.argv[3] if len(sys.argv) > 3 else None
c = consul.Consul(host=host, port=port, token=token)

if token:
    anonymous = consul.Consul(host=host, port=port, token=None)
    try:
        anonymous.agent.service.register("consul-tool", service_id="rogue-1", address="127.0.0.1", port=9)
        raise AssertionError("a registration without a token was accepted")
    except consul.ACLPermissionDenied as refusal:
        assert "Permission denied" in str(refusal), refusal
    _, listed = anonymous.catalog.services()
    assert listed == {}, f"an anonymous reader sees {listed}"

c.agent.service.register("consul-tool", service_id="consul-tool-1", address="127.0.0.1", port=4321, tags=["v1"],
                         meta={"owner": "ops"}, check=consul.Check.ttl("5s"))
index, nodes = c.health.service("consul-tool", passing=True)
assert nodes == [], f"a new TTL check must start critical, got {nodes}"

c.agent.check.ttl_pass("service:consul-tool-1", notes="all good")
index, nodes = c.health.service("consul-tool", passing=True)
assert [n["Service"]["ID"] for n in nodes] == ["consul-tool-1"], nodes
assert nodes[0]["Service"]["Port"] == 4321 and nodes[0]["Service"]["Meta"] == {"owner": "ops"}, nodes
assert int(index) > 0

# A blocking query with nothing changing returns after the wait, with an index no lower.
again, _ = c.health.service("consul-tool", index=index, wait="1s")
assert int(again) >= int(index), (again, index)

_, services = c.catalog.services()
assert services.get("consul-tool") == ["v1"], services
assert "consul-tool-1" in c.agent.services()

# Consul answers 404 for an unknown check; py-consul turns that into False.
assert c.agent.check.ttl_pass("service:nobody") is False

c.agent.service.deregister("consul-tool-1")
_, nodes = c.health.service("consul-tool")
assert nodes == [], nodes
print("py-consul works against the registry unchanged")
