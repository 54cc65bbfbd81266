/* Replays a fuzz target's seed corpus without libFuzzer, so that every
 * `make check` runs each target on its inputs (and on every crash input
 * kept there) under whatever sanitizers the build has. Linked with one
 * tests/fuzz/fuzz_NAME.c into the check program tests/fuzz/fuzz_NAME.
 *   fuzz_NAME [FILE|DIR]...
 * Without arguments it reads $FUZZ_CORPUS/NAME (tests/fuzz/corpus/NAME,
 * set by Makefile.am). Prints TAP: the empty input first, as libFuzzer
 * does, then one "ok" line per file. A crashing input aborts the program,
 * so the driver reports a missing plan with the file named last. */
#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	ntests;

/* Reads the whole of path into a fresh buffer; NULL on error. */
static uint8_t *
slurp(const char *path, size_t *len)
{
	FILE	*f;
	uint8_t	*p = NULL, *np;
	size_t	 cap = 0, n = 0, r;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			if ((np = realloc(p, cap)) == NULL) {
				free(p);
				fclose(f);
				return NULL;
			}
			p = np;
		}
		r = fread(p + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	if (ferror(f)) {
		free(p);
		p = NULL;
	}
	fclose(f);
	*len = n;
	return p;
}

/* The last two components of path, "NAME/file", to name a test by. */
static const char *
short_name(const char *path)
{
	const char	*p = path + strlen(path), *last = NULL;

	while (p > path) {
		if (*--p == '/') {
			if (last != NULL)
				return p + 1;
			last = p;
		}
	}
	return path;
}

/* Runs the target on one file; names it first so a crash shows which. */
static int
replay_file(const char *path)
{
	const char	*name = short_name(path);
	uint8_t		*p;
	size_t		 n;

	printf("# %s\n", path);
	fflush(stdout);
	if ((p = slurp(path, &n)) == NULL) {
		printf("not ok %d - %s: cannot read it\n", ++ntests, name);
		return 1;
	}
	LLVMFuzzerTestOneInput(p, n);
	free(p);
	printf("ok %d - %s (%zu bytes)\n", ++ntests, name, n);
	return 0;
}

/* qsort comparator: corpus files in name order, for stable output. */
static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays every regular file in dir, in name order. */
static int
replay_dir(const char *dir)
{
	DIR		*d;
	struct dirent	*e;
	char		**names = NULL, **nn, path[4096];
	size_t		 n = 0, i;
	int		 bad = 0;

	if ((d = opendir(dir)) == NULL)
		return 0;	/* no seeds yet: the empty input only */
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if ((nn = realloc(names, (n + 1) * sizeof *names)) == NULL ||
		    (nn[n] = strdup(e->d_name)) == NULL) {
			fprintf(stderr, "replay: out of memory\n");
			exit(99);
		}
		names = nn;
		n++;
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof *names, cmp_names);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		bad |= replay_file(path);
		free(names[i]);
	}
	free(names);
	return bad;
}

/* A file is replayed, a directory's files are. */
static int
replay_arg(const char *arg)
{
	struct stat	st;

	if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode))
		return replay_dir(arg);
	return replay_file(arg);
}

int
main(int argc, char **argv)
{
	const char	*base, *name, *corpus;
	char		 dir[4096];
	int		 i, bad = 0;

	LLVMFuzzerTestOneInput((const uint8_t *)"", 0);
	printf("ok %d - the empty input\n", ++ntests);
	if (argc > 1) {
		for (i = 1; i < argc; i++)
			bad |= replay_arg(argv[i]);
	} else if ((corpus = getenv("FUZZ_CORPUS")) != NULL) {
		base = strrchr(argv[0], '/');
		base = base != NULL ? base + 1 : argv[0];
		name = strncmp(base, "fuzz_", 5) == 0 ? base + 5 : base;
		snprintf(dir, sizeof dir, "%s/%.*s", corpus,
		    (int)strcspn(name, "."), name);
		bad |= replay_dir(dir);
	}
	printf("1..%d\n", ntests);
	return bad;
}
