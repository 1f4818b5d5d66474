/* Runs one command and writes its wall time and peak RSS to a file:
 *
 *     spawn RESULT_FILE COMMAND [ARG...]
 *
 * RESULT_FILE gets "SECONDS MAX_RSS_KB\n". The clock runs from just before
 * fork to the moment wait4 returns, so the command's exec, dynamic loading and
 * start-up are in it, and the caller's own cost (Python's subprocess, GNU
 * time's exec) is not. The RSS is wait4's ru_maxrss of the child alone: the
 * figure GNU time prints as "Maximum resident set size". The command's stdin,
 * stdout and stderr are this program's. Exit status: the command's (128+N if
 * killed by signal N), 127 when it could not be started. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: spawn RESULT_FILE COMMAND [ARG...]\n");
    return 2;
  }
  struct timespec start, end;
  clock_gettime(CLOCK_MONOTONIC, &start);
  pid_t pid = fork();
  if (pid < 0) {
    perror("spawn: fork");
    return 127;
  }
  if (pid == 0) {
    execvp(argv[2], argv + 2);
    perror("spawn: exec");
    _exit(127);
  }
  int status = 0;
  struct rusage usage;
  if (wait4(pid, &status, 0, &usage) < 0) {
    perror("spawn: wait4");
    return 127;
  }
  clock_gettime(CLOCK_MONOTONIC, &end);
  double secs = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
  FILE* out = fopen(argv[1], "w");
  if (!out) {
    perror("spawn: result file");
    return 127;
  }
  fprintf(out, "%.9f %ld\n", secs, usage.ru_maxrss);
  fclose(out);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}
