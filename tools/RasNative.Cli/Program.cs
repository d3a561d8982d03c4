return RasNative.Cli.RasNativeCli.Run(args);
