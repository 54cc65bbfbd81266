# WSC_WARNINGS: probe the compiler for each warning flag and collect the ones
# it accepts in WARN_CFLAGS (used as AM_CFLAGS, never forced into CFLAGS).
# --enable-werror adds -Werror, for CI.
AC_DEFUN([WSC_CHECK_CFLAG], [
  AS_VAR_PUSHDEF([wsc_var], [wsc_cv_cflag_$1])
  AC_CACHE_CHECK([whether $CC accepts $1], [wsc_var], [
    wsc_save_CFLAGS=$CFLAGS
    CFLAGS="$CFLAGS -Werror $1"
    AC_COMPILE_IFELSE([AC_LANG_PROGRAM([], [])],
      [AS_VAR_SET([wsc_var], [yes])], [AS_VAR_SET([wsc_var], [no])])
    CFLAGS=$wsc_save_CFLAGS])
  AS_VAR_IF([wsc_var], [yes], [WARN_CFLAGS="$WARN_CFLAGS $1"])
  AS_VAR_POPDEF([wsc_var])
])

AC_DEFUN([WSC_WARNINGS], [
  WARN_CFLAGS=
  m4_foreach_w([wsc_flag], [-Wall -Wextra -Wformat=2 -Wshadow -Wpointer-arith
      -Wstrict-prototypes -Wmissing-prototypes -Wmissing-declarations
      -Wold-style-definition -Wundef -Wvla -Wwrite-strings -Wcast-qual
      -Wnull-dereference -Wimplicit-fallthrough -Wno-unused-parameter],
    [WSC_CHECK_CFLAG(wsc_flag)])
  AC_ARG_ENABLE([werror],
    [AS_HELP_STRING([--enable-werror], [treat compiler warnings as errors])],
    [], [enable_werror=no])
  AS_IF([test "x$enable_werror" = xyes], [WARN_CFLAGS="$WARN_CFLAGS -Werror"])
  AC_SUBST([WARN_CFLAGS])
])
