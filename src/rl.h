/* GNU readline, loaded when the prompt starts (lazy.h): tty.c is plain
 * readline code, and these are the names it uses. A build without lazy
 * loading (configure --disable-lazy-load) links readline: then the names
 * are readline's own and there is nothing to load. */
#ifndef WSC_RL_H
#define WSC_RL_H

#include <stddef.h>
#include <stdio.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "lazy.h"

/* Loads readline once; 0, or -1 with why in err. */
int	wsc_rl_load(char *err, size_t errlen);

#ifdef WSC_LAZY_LOAD
#define WSC_RL_SYMBOLS(X) \
	X(add_history) \
	X(history_base) \
	X(history_get) \
	X(history_length) \
	X(history_truncate_file) \
	X(read_history) \
	X(rl_callback_handler_install) \
	X(rl_callback_handler_remove) \
	X(rl_callback_read_char) \
	X(rl_catch_signals) \
	X(rl_catch_sigwinch) \
	X(rl_change_environment) \
	X(rl_clear_visible_line) \
	X(rl_deprep_term_function) \
	X(rl_deprep_terminal) \
	X(rl_display_prompt) \
	X(rl_get_screen_size) \
	X(rl_getc_function) \
	X(rl_inhibit_completion) \
	X(rl_input_available_hook) \
	X(rl_instream) \
	X(rl_line_buffer) \
	X(rl_on_new_line) \
	X(rl_outstream) \
	X(rl_point) \
	X(rl_prep_term_function) \
	X(rl_prep_terminal) \
	X(rl_readline_name) \
	X(rl_redisplay) \
	X(rl_reset_screen_size) \
	X(rl_resize_terminal) \
	X(rl_set_keyboard_input_timeout) \
	X(rl_variable_value) \
	X(stifle_history) \
	X(using_history)

struct wsc_rl {
	WSC_RL_SYMBOLS(WSC_LAZY_ENTRY)
};

extern struct wsc_rl	wsc_rl;

#ifndef WSC_RL_IMPL
#define add_history		(*wsc_rl.add_history)
#define history_base		(*wsc_rl.history_base)
#define history_get		(*wsc_rl.history_get)
#define history_length		(*wsc_rl.history_length)
#define history_truncate_file	(*wsc_rl.history_truncate_file)
#define read_history		(*wsc_rl.read_history)
#define rl_callback_handler_install (*wsc_rl.rl_callback_handler_install)
#define rl_callback_handler_remove (*wsc_rl.rl_callback_handler_remove)
#define rl_callback_read_char	(*wsc_rl.rl_callback_read_char)
#define rl_catch_signals	(*wsc_rl.rl_catch_signals)
#define rl_catch_sigwinch	(*wsc_rl.rl_catch_sigwinch)
#define rl_change_environment	(*wsc_rl.rl_change_environment)
#define rl_clear_visible_line	(*wsc_rl.rl_clear_visible_line)
#define rl_deprep_term_function	(*wsc_rl.rl_deprep_term_function)
#define rl_deprep_terminal	(*wsc_rl.rl_deprep_terminal)
#define rl_display_prompt	(*wsc_rl.rl_display_prompt)
#define rl_get_screen_size	(*wsc_rl.rl_get_screen_size)
#define rl_getc_function	(*wsc_rl.rl_getc_function)
#define rl_inhibit_completion	(*wsc_rl.rl_inhibit_completion)
#define rl_input_available_hook	(*wsc_rl.rl_input_available_hook)
#define rl_instream		(*wsc_rl.rl_instream)
#define rl_line_buffer		(*wsc_rl.rl_line_buffer)
#define rl_on_new_line		(*wsc_rl.rl_on_new_line)
#define rl_outstream		(*wsc_rl.rl_outstream)
#define rl_point		(*wsc_rl.rl_point)
#define rl_prep_term_function	(*wsc_rl.rl_prep_term_function)
#define rl_prep_terminal	(*wsc_rl.rl_prep_terminal)
#define rl_readline_name	(*wsc_rl.rl_readline_name)
#define rl_redisplay		(*wsc_rl.rl_redisplay)
#define rl_reset_screen_size	(*wsc_rl.rl_reset_screen_size)
#define rl_resize_terminal	(*wsc_rl.rl_resize_terminal)
#define rl_set_keyboard_input_timeout (*wsc_rl.rl_set_keyboard_input_timeout)
#define rl_variable_value	(*wsc_rl.rl_variable_value)
#define stifle_history		(*wsc_rl.stifle_history)
#define using_history		(*wsc_rl.using_history)
#endif
#endif /* WSC_LAZY_LOAD */

#endif
