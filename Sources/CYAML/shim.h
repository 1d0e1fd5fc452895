#ifndef RBX_CYAML_SHIM_H
#define RBX_CYAML_SHIM_H
/* libyaml from the system (Debian: libyaml-dev, pkg-config yaml-0.1). Nothing is vendored. */
#include <yaml.h>
#endif
