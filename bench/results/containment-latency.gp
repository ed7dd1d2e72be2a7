set terminal pngcairo size 2240,980 font ',10'
set output 'containment-latency.png'
set multiplot layout 3,6 title "Probe in a sibling cgroup during each bomb (first repetition, lowest rate)\nblue: 10 ms sleep overshoot; orange: fork+exec /bin/true; red line: cgroup.kill"
set logscale y
set yrange [0.05:5000]
set grid
unset key
set xrange [-1.2:11.5]
set title 'c, none (CPU 157%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.026, graph 0 to 10.026, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-c-none---1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-c-none---1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'c, pids (CPU 149%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.027, graph 0 to 10.027, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-c-pids---1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-c-pids---1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'c, deny 20/s (CPU 20%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.009, graph 0 to 10.009, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-c-deny-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-c-deny-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'c, deny0 20/s (CPU 161%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.022, graph 0 to 10.022, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-c-deny0-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-c-deny0-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'c, throttle 20/s (CPU 11%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.004, graph 0 to 10.004, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-c-throttle-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-c-throttle-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'c, floor 20/s (CPU 11%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.006, graph 0 to 10.006, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-c-floor-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-c-floor-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'bash, none (CPU 150%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.010, graph 0 to 10.010, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-bash-none---1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-bash-none---1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'bash, pids (CPU 62%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.028, graph 0 to 10.028, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-bash-pids---1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-bash-pids---1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'bash, deny 20/s (CPU 28%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.026, graph 0 to 10.026, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-bash-deny-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-bash-deny-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'bash, deny0 20/s (CPU 31%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.009, graph 0 to 10.009, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-bash-deny0-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-bash-deny0-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'bash, throttle 20/s (CPU 35%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.024, graph 0 to 10.024, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-bash-throttle-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-bash-throttle-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'bash, floor 20/s (CPU 27%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.024, graph 0 to 10.024, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-bash-floor-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-bash-floor-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'py, none (CPU 155%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.018, graph 0 to 10.018, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-py-none---1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-py-none---1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'py, pids (CPU 157%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.025, graph 0 to 10.025, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-py-pids---1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-py-pids---1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'py, deny 20/s (CPU 157%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.020, graph 0 to 10.020, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-py-deny-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-py-deny-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'py, deny0 20/s (CPU 155%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.007, graph 0 to 10.007, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-py-deny0-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-py-deny0-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'py, throttle 20/s (CPU 154%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.040, graph 0 to 10.040, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-py-throttle-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-py-throttle-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'py, floor 20/s (CPU 154%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.031, graph 0 to 10.031, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-py-floor-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-py-floor-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
unset multiplot
