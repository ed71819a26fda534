// Package config implements Amber's component config templates
// (linker.md §4.1): parsing an authored `config` value against the
// parent's `config_schema`, composing it against the parent's template,
// simplification, schema defaults, validation of the composed result, the
// static rendering of resource params, and the pieces the overlay pass
// needs (overlays.md §5.1, §5.2, §6.1): writing a composed template back as
// manifest JSON, the helper root schema and root config from
// AMBER_CONFIG_* variables.
//
// A template describes a component's config in terms of the runtime root
// config: the root with a schema is Root, every other component an object
// whose leaves are static JSON values or references to root config paths.
//
// Errors are values (*Error) carrying Amber's message text and the JSON
// pointer and syntax node they concern; the caller picks spans and codes.
package config
