#ifndef CRISISD_CSYSTEMD_SHIM_H
#define CRISISD_CSYSTEMD_SHIM_H
// Without it sd_journal_sendv is a macro adding this header's file and line to every entry.
#define SD_JOURNAL_SUPPRESS_LOCATION 1
#include <sys/uio.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
#endif
