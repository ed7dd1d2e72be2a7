# SPDX-License-Identifier: GPL-2.0
#
# Sphinx configuration of forkgov's documentation, built by "make docs"
# (mk/docs.mk) into out/docs/html with warnings treated as errors.  Kept to
# what the Debian 12 python3-sphinx package (5.3) provides: no extensions,
# the default theme.

project = 'forkgov'
copyright = 'The forkgov developers'
author = 'The forkgov developers'

root_doc = master_doc = 'index'
source_suffix = '.rst'
exclude_patterns = ['sphinx']

# As in the kernel's own Documentation/conf.py: literal blocks are shell,
# config and /proc contents, not Python; quotes and dashes stay as typed.
highlight_language = 'none'
smartquotes = False

html_theme = 'alabaster'
html_title = 'forkgov documentation'
html_show_sourcelink = False
html_theme_options = {
    'page_width': '1100px',
    'body_max_width': 'none',
}
