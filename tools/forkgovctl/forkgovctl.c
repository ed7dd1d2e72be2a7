// SPDX-License-Identifier: GPL-2.0
/*
 * forkgovctl entry point; the rest lives in main.c so that the unit tests
 * can call fgctl_main() directly.
 */
#include "forkgovctl.h"

int main(int argc, char **argv)
{
	return fgctl_main(argc, argv);
}
