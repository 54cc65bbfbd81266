# WSC_LAZY_LIB(VAR, PREFIX, WHAT, INCLUDES, BODY): the file name (soname)
# of the library whose name starts with PREFIX, which wsc loads with
# dlopen() instead of linking it (src/lazy.h): the name the linker records
# when a program using BODY is linked with the current CPPFLAGS and LIBS.
# VAR, a precious variable, overrides it; the result is defined as VAR in
# config.h. Needs objdump to read the name (an ELF platform), or VAR set;
# without either it sets enable_lazy_load=no, with a notice.
AC_DEFUN([WSC_LAZY_LIB], [
  AC_ARG_VAR([$1], [file name of the $3 library wsc loads when needed
    (default: the one it is built against)])
  AC_MSG_CHECKING([for the $3 library to load])
  AS_IF([test -z "$$1"], [
    AC_LINK_IFELSE([AC_LANG_PROGRAM([$4], [$5])], [
      $1=`$OBJDUMP -p conftest$EXEEXT 2>/dev/null |
        sed -n 's/^ *NEEDED *\($2[[^ ]]*\) *$/\1/p' | sed 1q`])])
  AS_IF([test -n "$$1"], [
    AC_MSG_RESULT([$$1])
    AC_DEFINE_UNQUOTED([$1], ["$$1"], [The $3 library wsc loads when needed])
  ], [
    AC_MSG_RESULT([not found])
    AC_MSG_NOTICE([cannot tell the file name of the $3 library (objdump -p reads it from a program linked with it, on ELF platforms; or set $1=): linking the libraries instead, as --disable-lazy-load does])
    enable_lazy_load=no])
])
