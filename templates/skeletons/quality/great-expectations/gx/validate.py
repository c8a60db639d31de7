"""Validates each output port of ${{ values.name }} with its suite (quality/<port>.json) and prints
the validation results as a JSON array, one per suite, which the CI posts to the portal."""
import json
import os
import pathlib
import sys

import great_expectations as gx
from great_expectations.core import ExpectationSuite

folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "quality")
context = gx.get_context()
datasource = context.sources.add_or_update_sql(
    name="warehouse", connection_string=os.environ["WAREHOUSE_URL"]
)
results = []
for suite_file in sorted(folder.glob("*.json")):
    suite = ExpectationSuite(**json.loads(suite_file.read_text()))
    table = suite.meta["datamesh"]["table"]
    asset = datasource.add_table_asset(name=suite_file.stem, table_name=table)
    validator = context.get_validator(
        batch_request=asset.build_batch_request(), expectation_suite=suite
    )
    results.append(validator.validate().to_json_dict())
json.dump(results, sys.stdout)
sys.exit(0 if all(r["success"] for r in results) else 1)
