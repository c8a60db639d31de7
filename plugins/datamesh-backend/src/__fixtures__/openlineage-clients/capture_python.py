"""Captures, byte for byte, the requests the official OpenLineage Python client sends.

Run by hand (not by the tests), with the client's source:

    python3 capture_python.py <OpenLineage checkout>/client/python/src <output folder>

It runs the client's own HttpTransport (openlineage/client/transport/http.py), configured as the
backend's README says, against a capture server on 127.0.0.1:17007, and writes each request it
receives (request line, headers in order, body as base64) as a JSON file. It also records which
answers make the client retry. See SOURCES.md.
"""

import base64
import json
import os
import socket
import sys
import threading
import types

SOURCE, OUT = sys.argv[1], sys.argv[2]
sys.path.insert(0, SOURCE)
# httpx is imported by the package for its async transport only; the sync HttpTransport used
# here does not touch it, and it is not installed here
sys.modules.setdefault("httpx", types.ModuleType("httpx"))

from openlineage.client import OpenLineageClient  # noqa: E402
from openlineage.client.constants import __version__  # noqa: E402
from openlineage.client.event_v2 import (  # noqa: E402
    DatasetEvent,
    InputDataset,
    Job,
    JobEvent,
    OutputDataset,
    Run,
    RunEvent,
    RunState,
    StaticDataset,
)
from openlineage.client.facet_v2 import (  # noqa: E402
    column_lineage_dataset,
    data_quality_assertions_dataset,
    schema_dataset,
)
from openlineage.client.transport.http import HttpConfig, HttpTransport  # noqa: E402

PORT = 17007
API_KEY = "pipeline-token"
received = []
answers = []  # (status, headers) to give, in order; 201 once exhausted


def serve(server):
    while True:
        conn, _ = server.accept()
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            head, body = data.split(b"\r\n\r\n", 1)
            lines = head.decode("latin-1").split("\r\n")
            headers = [line.split(": ", 1) for line in lines[1:]]
            length = next((int(v) for k, v in headers if k.lower() == "content-length"), 0)
            while len(body) < length:
                body += conn.recv(65536)
            received.append({"requestLine": lines[0], "headers": headers, "body": body})
            status, extra = answers.pop(0) if answers else (201, [])
            reply = f"HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n"
            reply += "".join(f"{k}: {v}\r\n" for k, v in extra)
            conn.sendall(reply.encode() + b"\r\n")


server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", PORT))
server.listen()
threading.Thread(target=serve, args=(server,), daemon=True).start()

# the configuration the README gives (openlineage.yml's transport block)
CONFIG = {
    "type": "http",
    "url": f"http://127.0.0.1:{PORT}/api/datamesh/",
    "endpoint": "v1/lineage",
    "auth": {"type": "api_key", "apiKey": API_KEY},
}


def client(**extra):
    transport = HttpTransport(HttpConfig.from_dict({**CONFIG, **extra}))
    return OpenLineageClient(transport=transport), transport


RUN_ID = "0193a8a4-5f7e-7c4d-9a3b-3f1c2e9d8b71"
job = Job(namespace="airflow", name="orders.load")
raw_orders = InputDataset(
    namespace="postgres://db:5432",
    name="shop.public.raw_orders",
    facets={
        "schema": schema_dataset.SchemaDatasetFacet(
            fields=[
                schema_dataset.SchemaDatasetFacetFields(name="id", type="INTEGER"),
                schema_dataset.SchemaDatasetFacetFields(name="amount", type="NUMERIC"),
            ]
        )
    },
    inputFacets={
        "dataQualityAssertions": data_quality_assertions_dataset.DataQualityAssertionsDatasetFacet(
            assertions=[
                data_quality_assertions_dataset.Assertion(assertion="not_null", success=True, column="id"),
                data_quality_assertions_dataset.Assertion(assertion="unique", success=False, column="id"),
            ]
        )
    },
)
orders = OutputDataset(
    namespace="postgres://db:5432",
    name="shop.public.orders",
    facets={
        "columnLineage": column_lineage_dataset.ColumnLineageDatasetFacet(
            fields={
                "order_id": column_lineage_dataset.Fields(
                    inputFields=[
                        column_lineage_dataset.InputField(
                            namespace="postgres://db:5432",
                            name="shop.public.raw_orders",
                            field="id",
                            transformations=[
                                column_lineage_dataset.Transformation(type="DIRECT", subtype="IDENTITY")
                            ],
                        )
                    ]
                )
            }
        )
    },
)
start = RunEvent(eventType=RunState.START, eventTime="2026-12-01T10:00:00.000000+00:00",
                 run=Run(runId=RUN_ID), job=job, inputs=[raw_orders], outputs=[orders])
complete = RunEvent(eventType=RunState.COMPLETE, eventTime="2026-12-01T10:05:00.000000+00:00",
                    run=Run(runId=RUN_ID), job=job, inputs=[raw_orders], outputs=[orders])
job_event = JobEvent(eventTime="2026-12-01T09:00:00.000000+00:00", job=job,
                     inputs=[raw_orders], outputs=[orders])
dataset_event = DatasetEvent(eventTime="2026-12-01T09:00:00.000000+00:00",
                             dataset=StaticDataset(namespace="postgres://db:5432", name="shop.public.orders",
                                                   facets=orders.facets))


def save(name, request, what):
    with open(os.path.join(OUT, f"python-{name}.json"), "w") as f:
        json.dump(
            {
                "client": f"openlineage-python {__version__} HttpTransport",
                "config": what,
                "requestLine": request["requestLine"],
                "headers": request["headers"],
                "bodyBase64": base64.b64encode(request["body"]).decode(),
            },
            f,
            indent=2,
            ensure_ascii=False,
        )
        f.write("\n")


plain, _ = client()
for name, event in [("start", start), ("complete", complete), ("job-event", job_event),
                    ("dataset-event", dataset_event)]:
    plain.emit(event)
    save(name, received.pop(), CONFIG)

gzipped, _ = client(compression="gzip")
gzipped.emit(complete)
save("complete-gzip", received.pop(), {**CONFIG, "compression": "gzip"})

# No official client sends batches (neither transport has a batch endpoint): the batch capture is
# the transport's own session and request preparation (_prepare_request: its headers, its gzip)
# posting a JSON array, as the spec's /lineage/batch takes it
_, transport = client(compression="gzip")
from openlineage.client.serde import Serde  # noqa: E402

body, headers = transport._prepare_request(
    "[" + ",".join(Serde.to_json(e) for e in [start, complete]) + "]")
transport.session.post(url=CONFIG["url"] + "v1/lineage/batch", data=body, headers=headers,
                       timeout=transport.timeout).raise_for_status()
save("batch-gzip", received.pop(), {**CONFIG, "compression": "gzip",
                                    "note": "the transport's session and headers, a JSON array"})

# Which answers the client retries (urllib3's Retry as the transport configures it)
retries = {}
for status, extra in [(400, []), (413, []), (413, [("Retry-After", "0")]), (429, []),
                      (429, [("Retry-After", "0")]), (500, []), (503, []), (503, [("Retry-After", "0")])]:
    received.clear()
    answers[:] = [(status, extra)]
    probe, _ = client(retry={"total": 1, "backoff_factor": 0})
    try:
        probe.emit(start)
    except Exception:  # noqa: BLE001
        pass
    key = f"{status}{' with Retry-After' if extra else ''}"
    retries[key] = len(received) > 1
with open(os.path.join(OUT, "python-retries.json"), "w") as f:
    json.dump({"client": f"openlineage-python {__version__} HttpTransport",
               "retried": retries}, f, indent=2)
    f.write("\n")
print("captured", sorted(os.listdir(OUT)))
