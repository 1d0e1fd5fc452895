#ifndef RBX_PROCESS_CONTROL_H
#define RBX_PROCESS_CONTROL_H

/// Makes the calling process the reaper of its orphaned descendants (Linux
/// PR_SET_CHILD_SUBREAPER). Returns 0 on success, -1 with errno set otherwise (and on systems
/// without it). A C function because prctl is variadic, which Swift cannot call.
int rbx_become_child_subreaper(void);

#endif
