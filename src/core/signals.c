/*
 * Interrupts turned into a clean stop: the handler sets a flag (async-signal-safe), the import
 * pipeline checks it between records, and the command maps it to exit 130 or 143.
 */
#include "tr/signals.h"

#include <string.h>

volatile sig_atomic_t tr_signal_caught;

static void on_signal(int sig)
{
    tr_signal_caught = sig;
}

void tr_signals_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int tr_signals_exit_code(int rc)
{
    return tr_signal_caught ? 128 + tr_signal_caught : rc;
}
