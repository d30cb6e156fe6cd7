#!/usr/bin/python3
"""Offline, schema-aware validation of Kubernetes manifests.

kubectl validates against the API server's OpenAPI document, so it needs a cluster. This script needs none: it
checks every document against the model classes of the official Kubernetes Python client (Debian package
python3-kubernetes), which are generated from the Kubernetes OpenAPI specification. For each object it reports:

- a field the schema does not have (a typo such as `contianers`, or a field at the wrong level);
- a value of the wrong type (a string port, a map where a list belongs, ...);
- a required field that is missing (the generated client-side validation of each model);
- an apiVersion/kind pair the client does not know.

IntOrString fields (`targetPort`) accept both; `Quantity` values are strings. The client's API version bounds what
is known: python3-kubernetes 22.x covers Kubernetes 1.22 (apps/v1, policy/v1, ...).

Usage: validate-manifests.py FILE...    exit 0 when every document is valid, 1 otherwise (one line per problem).
"""
import datetime
import re
import sys

import yaml
from kubernetes import client
from kubernetes.client import models

PRIMITIVES = {"str": str, "int": int, "bool": bool, "float": (int, float)}


def model_class(api_version, kind):
    group, _, version = api_version.rpartition("/")
    version = version.capitalize()
    name = f"{version}{kind}"
    return getattr(models, name, None)


class Checker:
    def __init__(self):
        self.config = client.Configuration()
        self.config.client_side_validation = True
        self.problems = []

    def problem(self, where, path, message):
        self.problems.append(f"{where}: {path or '.'}: {message}")

    def value(self, where, path, type_name, value):
        """Check `value` against an OpenAPI client type name; return the value converted for model constructors."""
        if value is None:
            return None
        if type_name in PRIMITIVES:
            expected = PRIMITIVES[type_name]
            # YAML booleans are ints in Python; keep them apart
            if isinstance(value, bool) and type_name != "bool":
                self.problem(where, path, f"expected {type_name}, got boolean")
            elif not isinstance(value, expected):
                self.problem(where, path, f"expected {type_name}, got {type(value).__name__} {value!r}")
            return value
        if type_name == "object":  # IntOrString, free-form JSON
            return value
        if type_name in ("datetime", "date"):
            if not isinstance(value, (str, datetime.date)):
                self.problem(where, path, f"expected a {type_name} string")
            return value
        m = re.fullmatch(r"list\[(.+)\]", type_name)
        if m:
            if not isinstance(value, list):
                self.problem(where, path, f"expected a list, got {type(value).__name__}")
                return value
            return [self.value(where, f"{path}[{i}]", m.group(1), v) for i, v in enumerate(value)]
        m = re.fullmatch(r"dict\(([^,]+), (.+)\)", type_name)
        if m:
            if not isinstance(value, dict):
                self.problem(where, path, f"expected a map, got {type(value).__name__}")
                return value
            return {k: self.value(where, f"{path}.{k}", m.group(2), v) for k, v in value.items()}
        cls = getattr(models, type_name, None)
        if cls is None:
            self.problem(where, path, f"unknown schema type {type_name}")
            return value
        return self.model(where, path, cls, value)

    def model(self, where, path, cls, obj):
        if not isinstance(obj, dict):
            self.problem(where, path, f"expected an object ({cls.__name__}), got {type(obj).__name__}")
            return None
        json_to_attr = {v: k for k, v in cls.attribute_map.items()}
        kwargs = {}
        for key, val in obj.items():
            attr = json_to_attr.get(key)
            sub = f"{path}.{key}" if path else key
            if attr is None:
                self.problem(where, sub, f"unknown field (not in {cls.__name__})")
                continue
            kwargs[attr] = self.value(where, sub, cls.openapi_types[attr], val)
        try:
            return cls(local_vars_configuration=self.config, **kwargs)
        except ValueError as e:  # required fields and enums, from the generated setters
            self.problem(where, path, str(e))
        except TypeError as e:
            self.problem(where, path, str(e))
        return None

    def document(self, file, index, doc):
        if doc is None:
            return
        if not isinstance(doc, dict):
            self.problem(f"{file}#{index}", "", "a manifest must be a mapping")
            return
        api_version, kind = doc.get("apiVersion"), doc.get("kind")
        name = (doc.get("metadata") or {}).get("name", "?")
        where = f"{file}#{index} {kind}/{name}"
        if not isinstance(api_version, str) or not isinstance(kind, str):
            self.problem(where, "", "apiVersion and kind are required")
            return
        cls = model_class(api_version, kind)
        if cls is None:
            self.problem(where, "", f"unknown apiVersion/kind {api_version} {kind}")
            return
        self.model(where, "", cls, doc)


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    checker = Checker()
    count = 0
    for file in argv[1:]:
        try:
            with open(file, encoding="utf-8") as f:
                docs = list(yaml.safe_load_all(f))
        except (OSError, yaml.YAMLError) as e:
            checker.problem(file, "", f"cannot read: {e}")
            continue
        for i, doc in enumerate(docs):
            if doc is not None:
                count += 1
            checker.document(file, i, doc)
    for p in checker.problems:
        print(p)
    if checker.problems:
        print(f"{len(checker.problems)} problem(s) in {count} document(s)", file=sys.stderr)
        return 1
    print(f"{count} document(s) valid (schema: kubernetes python client {client.__version__ if hasattr(client, '__version__') else ''})".rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
