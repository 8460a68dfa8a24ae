from govreport_check.cli import main

main()
