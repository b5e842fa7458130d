# Everyday commands. `make test` is the README's test command (and .ci/run's).
PY ?= python3

.PHONY: install run test lint bench data catalog manifest

install:
	$(PY) -m pip install -r requirements.txt -r requirements-dev.txt

run:
	$(PY) -m streamlit run app.py

test:
	$(PY) -m pytest -q

lint:
	$(PY) -m ruff check . && $(PY) -m ruff format --check .

bench:
	$(PY) bench/run_all.py

# Rebuild data/ from the curated inputs in reference/ (checked against reference/MANIFEST.csv first) and the
# pinned npm packages of the geometry build, then refresh the catalog. Nothing outside the repository is read.
data:
	$(PY) scripts/manifest.py verify
	$(PY) scripts/build_treaty_data.py
	$(PY) scripts/build_ccm_data.py
	$(PY) scripts/build_spending.py
	$(PY) scripts/build_geodata.py
	$(PY) scripts/publish_static.py
	$(PY) scripts/update_catalog.py

catalog:
	$(PY) scripts/update_catalog.py

manifest:
	$(PY) scripts/manifest.py verify
