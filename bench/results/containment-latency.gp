set terminal pngcairo size 1880,980 font ',10'
set output 'containment-latency.png'
set multiplot layout 3,5 title "Probe in a sibling cgroup during each bomb (first repetition, lowest rate)\nblue: 10 ms sleep overshoot; orange: fork+exec /bin/true; red line: cgroup.kill"
set logscale y
set yrange [0.05:5000]
set grid
unset key
set xrange [-1.2:12.3]
set title 'c, none (CPU 153%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.021, graph 0 to 10.021, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-c-none---1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-c-none---1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'c, pids (CPU 137%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.016, graph 0 to 10.016, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-c-pids---1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-c-pids---1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'c, deny 20/s (CPU 160%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.339, graph 0 to 10.339, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-c-deny-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-c-deny-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'c, throttle 20/s (CPU 138%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.104, graph 0 to 10.104, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-c-throttle-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-c-throttle-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'c, floor 20/s (CPU 74%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.099, graph 0 to 10.099, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-c-floor-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-c-floor-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'bash, none (CPU 95%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.815, graph 0 to 10.815, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-bash-none---1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-bash-none---1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'bash, pids (CPU 112%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.036, graph 0 to 10.036, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-bash-pids---1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-bash-pids---1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'bash, deny 20/s (CPU 127%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.016, graph 0 to 10.016, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-bash-deny-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-bash-deny-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'bash, throttle 20/s (CPU 123%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.104, graph 0 to 10.104, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-bash-throttle-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-bash-throttle-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'bash, floor 20/s (CPU 88%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.098, graph 0 to 10.098, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-bash-floor-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-bash-floor-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'py, none (CPU 142%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.356, graph 0 to 10.356, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-py-none---1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-py-none---1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'py, pids (CPU 126%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.297, graph 0 to 10.297, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-py-pids---1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-py-pids---1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'py, deny 20/s (CPU 127%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.020, graph 0 to 10.020, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-py-deny-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-py-deny-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'py, throttle 20/s (CPU 139%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.086, graph 0 to 10.086, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-py-throttle-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-py-throttle-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'py, floor 20/s (CPU 140%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.021, graph 0 to 10.021, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-py-floor-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-py-floor-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
unset multiplot
