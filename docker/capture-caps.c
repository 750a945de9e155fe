/*
 * homewatch-capture: starts `node` with CAP_NET_RAW and CAP_NET_ADMIN as ambient capabilities,
 * so that the capture agent can open its libpcap handle while running as an unprivileged user.
 *
 * This small binary carries the two capabilities as file capabilities (setcap in the Dockerfile),
 * moves them into the inheritable and ambient sets, and executes node, which itself carries no
 * capability: `node` stays usable for everything else in a container given no capability at all.
 * The container must grant them (docker-compose.yml: cap_add NET_RAW, NET_ADMIN); otherwise the
 * kernel refuses to execute this file, and the agent says nothing more than that.
 */
#include <linux/capability.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NODE "/usr/local/bin/node"

int main(int argc, char **argv) {
  (void)argc;
  struct __user_cap_header_struct head = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct data[2];
  const unsigned caps[] = {CAP_NET_RAW, CAP_NET_ADMIN};
  if (syscall(SYS_capget, &head, data) != 0) {
    perror("homewatch-capture: capget");
    return 126;
  }
  for (unsigned i = 0; i < 2; i++) data[0].inheritable |= 1u << caps[i];
  if (syscall(SYS_capset, &head, data) != 0) {
    perror("homewatch-capture: capset (give the container NET_RAW and NET_ADMIN)");
    return 126;
  }
  for (unsigned i = 0; i < 2; i++) {
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, caps[i], 0, 0) != 0) {
      perror("homewatch-capture: ambient capability");
      return 126;
    }
  }
  argv[0] = NODE;
  execv(NODE, argv);
  perror("homewatch-capture: " NODE);
  return 127;
}
