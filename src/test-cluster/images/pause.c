/*
 * The pod sandbox ("pause") process of the test cluster: PID 1 of every pod's
 * namespaces. Same behaviour as Kubernetes' build/pause/linux/pause.c, which
 * cannot be pulled here (no registry): exit 0 on SIGINT/SIGTERM, reap the
 * zombies of processes that are re-parented to it, otherwise sleep forever.
 * Built by build.sh with `gcc -Os -static`, so the image holds one file.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void sigdown(int signo) {
  psignal(signo, "Shutting down, got signal");
  exit(0);
}

static void sigreap(int signo) {
  (void)signo;
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "-v") == 0) {
    printf("pause (runner-fleet test cluster)\n");
    return 0;
  }
  if (getpid() != 1) {
    fprintf(stderr, "Warning: pause should be the first process\n");
  }
  struct sigaction down = {.sa_handler = sigdown};
  if (sigaction(SIGINT, &down, NULL) < 0 || sigaction(SIGTERM, &down, NULL) < 0) {
    return 1;
  }
  struct sigaction reap = {.sa_handler = sigreap, .sa_flags = SA_NOCLDSTOP};
  if (sigaction(SIGCHLD, &reap, NULL) < 0) {
    return 2;
  }
  for (;;) {
    pause();
  }
  return 42;
}
