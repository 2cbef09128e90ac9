// The declared side read from the application's SQLAlchemy models (`models:` in pgparity.yaml):
// pgparity's exporter (exporters/sqlalchemy_export.py) runs with the project's interpreter and
// prints JSON; this reads it into the same immutable specs a YAML manifest gives, each located
// at the Python file and line of its class or column.
#pragma once

#include <string>
#include <vector>

#include "manifest/model_spec.h"
#include "manifest/project_config.h"

namespace pgparity {

struct model_export {
  manifest declared;
  std::vector<std::string> files;  // the project's source files the exporter imported
};

// Reads the exporter's JSON. Throws input_error naming `origin` when it is malformed (an
// exporter and pgparity that do not match) or declares two models of the same name.
model_export read_model_export(const std::string& json_text, const std::string& origin);

// Applies an overlay manifest (`models: overlay:`): per model `soft_delete:`, per column
// `sample:`, which the ORM cannot say. Throws input_error at the overlay's file:line:column.
void apply_overlay(manifest& declared, const std::string& overlay_path);
// Same, with the overlay's bytes already read.
void apply_overlay(manifest& declared, const std::string& overlay_path,
                   const std::string& overlay_text);

// Runs the exporter with the configured interpreter, or reuses its output cached under
// `cache_dir`/models when none of the imported sources changed, and applies the overlay. The
// result is cached under `cache_dir` too (manifest_cache.h); `fresh` parses it again.
// Import errors in the user's code are printed as Python's traceback to stderr before the
// input_error (exit 2); a missing interpreter or SQLAlchemy is a one-line input_error.
manifest load_models(const models_config& config, const std::string& config_file,
                     const std::string& base_dir, const std::string& cache_dir, bool fresh = false);

// The exporter's source, compiled into pgparity (so an installed pgparity always runs the
// exporter of its own version).
const std::string& sqlalchemy_exporter_source();

}  // namespace pgparity
