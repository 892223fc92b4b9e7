// CLibYAML: libyaml's event parser and emitter for Swift (apt: libyaml-dev); the release binary links libyaml.a.
#ifndef FAIGEN_CLIBYAML_SHIM_H
#define FAIGEN_CLIBYAML_SHIM_H
#include <yaml.h>
#endif
