/*
 * The identity of the process at the other end of a connected Unix socket, as the kernel saw it
 * when the connection was made (SO_PEERCRED): the client cannot choose it, unlike anything it
 * writes on the socket. Node has no API for it, hence this addon.
 *
 *   peerCredentials(fd) -> { pid, uid, gid, user }   (user: the uid's name, or null)
 *   groupId(name)       -> gid, or null when there is no such group
 *
 * groupId is here because the socket's owner needs it: Node can chown to a gid but has no
 * getgrnam, and the group must come from the same user database as the peer's name.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <node_api.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static napi_value fail(napi_env env, const char *what, int err) {
  char message[160];
  snprintf(message, sizeof message, "%s: %s", what, strerror(err));
  napi_throw_error(env, "PEER_CREDENTIALS", message);
  return NULL;
}

static void set_int(napi_env env, napi_value object, const char *name, int64_t value) {
  napi_value v;
  napi_create_int64(env, value, &v);
  napi_set_named_property(env, object, name, v);
}

static napi_value peer_credentials(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t fd = -1;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 1 ||
      napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0) {
    napi_throw_type_error(env, NULL, "peerCredentials(fd): fd must be a file descriptor");
    return NULL;
  }
  struct ucred cred;
  socklen_t length = sizeof cred;
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &length) != 0) {
    return fail(env, "getsockopt(SO_PEERCRED)", errno);
  }

  napi_value result;
  napi_create_object(env, &result);
  set_int(env, result, "pid", cred.pid);
  set_int(env, result, "uid", cred.uid);
  set_int(env, result, "gid", cred.gid);

  /* The name through the system's user database (files, LDAP...), as `id -un` would say it. */
  struct passwd entry;
  struct passwd *found = NULL;
  char buffer[4096];
  napi_value user;
  if (getpwuid_r(cred.uid, &entry, buffer, sizeof buffer, &found) == 0 && found != NULL) {
    napi_create_string_utf8(env, found->pw_name, NAPI_AUTO_LENGTH, &user);
  } else {
    napi_get_null(env, &user);
  }
  napi_set_named_property(env, result, "user", user);
  return result;
}

static napi_value group_id(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  char name[256];
  size_t length = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 1 ||
      napi_get_value_string_utf8(env, argv[0], name, sizeof name, &length) != napi_ok ||
      length == 0 || length >= sizeof name - 1) {
    napi_throw_type_error(env, NULL, "groupId(name): name must be a group name");
    return NULL;
  }
  struct group entry;
  struct group *found = NULL;
  char buffer[16384];
  napi_value result;
  int err = getgrnam_r(name, &entry, buffer, sizeof buffer, &found);
  if (err != 0) return fail(env, "getgrnam_r", err);
  if (found == NULL) {
    napi_get_null(env, &result);
  } else {
    napi_create_int64(env, found->gr_gid, &result);
  }
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "groupId", NAPI_AUTO_LENGTH, group_id, NULL, &fn);
  napi_set_named_property(env, exports, "groupId", fn);
  napi_create_function(env, "peerCredentials", NAPI_AUTO_LENGTH, peer_credentials, NULL, &fn);
  napi_set_named_property(env, exports, "peerCredentials", fn);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
